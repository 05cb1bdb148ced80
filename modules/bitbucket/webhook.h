#pragma once
// bitbucket.webhook: a repository webhook, over /rest/api/1.0/projects/{key}/repos/{slug}/webhooks.

#include "modules/bitbucket/api.h"
#include "reconciler/provider/provider.h"

namespace stashform::bitbucket {

const ResourceSchema& WebhookSchema();

/// WebhookType reads, creates, replaces (PUT of the whole object) and deletes repository webhooks.
/// Refresh lists each repository's webhooks once, never one GET per webhook.
class WebhookType : public provider::ResourceType {
 public:
  explicit WebhookType(const BitbucketApi& api) : api_(api) {}

  const ResourceSchema& schema() const override { return WebhookSchema(); }
  provider::ReadResponse Read(const provider::ReadRequest& request) override;
  std::vector<provider::ReadResponse> ReadMany(const std::vector<provider::ReadRequest>& requests) override;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
  provider::ImportResponse Import(const std::string& id) override;
  provider::ImportResponse Find(const Value::Map& natural_key) override;

 private:
  provider::ApplyResponse Create(const provider::ApplyRequest& request);
  provider::ApplyResponse Update(const provider::ApplyRequest& request);
  provider::ApplyResponse Delete(const provider::ApplyRequest& request);
  const BitbucketApi& api_;
};

/// The webhook's attributes as stashform records them, from the server's JSON (secret as digest;
/// a redacted secret keeps the digest recorded before).
Value::Map WebhookFromJson(const std::string& project, const std::string& repository,
                           const boost::json::value& json, const Value::Map& prior);

/// The request body for POST and PUT: the whole object, so that a PUT clears nothing by accident.
boost::json::value WebhookToJson(const Value::Map& planned);

}  // namespace stashform::bitbucket
