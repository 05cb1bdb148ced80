#pragma once
// bitbucket.webhook: a repository webhook, over /rest/api/1.0/projects/{key}/repos/{slug}/webhooks.
// The same class serves bitbucket.project_webhook (project_webhook.h) with the project scope.

#include "modules/bitbucket/api.h"
#include "modules/bitbucket/webhook_json.h"
#include "modules/provider/provider.h"

namespace stashform::bitbucket {

const ResourceSchema& WebhookSchema();

/// WebhookType reads, creates, replaces (PUT of the whole object) and deletes webhooks of one
/// scope. Refresh lists each repository's (or project's) webhooks once, never one GET per webhook.
class WebhookType : public provider::ResourceType {
 public:
  explicit WebhookType(const BitbucketApi& api) : WebhookType(api, WebhookScope::kRepository, WebhookSchema()) {}

  const ResourceSchema& schema() const override { return schema_; }
  provider::ReadResponse Read(const provider::ReadRequest& request) override;
  std::vector<provider::ReadResponse> ReadMany(const std::vector<provider::ReadRequest>& requests,
                                               const provider::ReadDone& done = {}) override;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
  /// "PROJECT/repo/ID" or "PROJECT/repo/NAME" ("PROJECT/ID", "PROJECT/NAME" at project scope).
  provider::ImportResponse Import(const std::string& id) override;
  provider::ImportResponse Find(const Value::Map& natural_key) override;
  /// One listing per repository (or project) for all the keys on it; matches oldest (lowest id) first.
  std::vector<provider::FoundObjects> FindMany(const std::vector<Value::Map>& natural_keys) override;
  /// Webhooks on the managed repositories (or projects) that state does not record.
  std::vector<provider::UnmanagedObject> ListUnmanaged(const std::vector<provider::ReadRequest>& managed,
                                                       Diagnostics& diagnostics) override;

 protected:
  WebhookType(const BitbucketApi& api, WebhookScope scope, const ResourceSchema& schema)
      : api_(api), scope_(scope), schema_(schema) {}

 private:
  /// "INFRA/api/42": the id `stashform import` takes for webhook `id` with these attributes.
  std::string ImportIdOf(const Value::Map& attributes, const std::string& id) const;
  provider::ApplyResponse Write(const provider::ApplyRequest& request);
  provider::ApplyResponse Delete(const provider::ApplyRequest& request);
  const BitbucketApi& api_;
  WebhookScope scope_;
  const ResourceSchema& schema_;
};

}  // namespace stashform::bitbucket
