#pragma once
// spacelift.bitbucket_datacenter_integration: a Bitbucket Data Center integration of a Spacelift
// account, over bitbucketDatacenterIntegration{Create,Update,Delete} and
// bitbucketDatacenterIntegration(id).

#include "modules/spacelift/api.h"
#include "modules/provider/provider.h"

namespace stashform::spacelift {

const ResourceSchema& IntegrationSchema();

/// IntegrationType reads, creates, updates and deletes integrations. The access token is
/// write-only (state keeps its digest); the webhook secret Spacelift generates is exposed as a
/// sensitive attribute, so that webhooks can reference it, and also returned as private data.
class IntegrationType : public provider::ResourceType {
 public:
  explicit IntegrationType(const SpaceliftApi& api) : api_(api) {}

  const ResourceSchema& schema() const override { return IntegrationSchema(); }
  provider::ReadResponse Read(const provider::ReadRequest& request) override;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
  provider::ImportResponse Import(const std::string& id) override;
  provider::ImportResponse Find(const Value::Map& natural_key) override;
  /// The slug of name: Spacelift's id for a new integration. It keeps that id when renamed in the
  /// UI, so a config that names the original name would re-create an object with the same id.
  std::string IdOfNewObject(const Value::Map& planned) const override { return Slugify(StringField(planned, "name")); }

 private:
  provider::ApplyResponse Create(const provider::ApplyRequest& request);
  provider::ApplyResponse Update(const provider::ApplyRequest& request);
  provider::ApplyResponse Delete(const provider::ApplyRequest& request);
  const SpaceliftApi& api_;
};

/// Whether the integration `id` exists (one bitbucketDatacenterIntegration query).
Result<bool> IntegrationExists(const SpaceliftApi& api, const std::string& id);

/// The integration's attributes from an answer object; access_token is `prior_token` (a digest),
/// since Spacelift never returns it.
Value::Map IntegrationFromJson(const boost::json::value& json, const Value& prior_token);

}  // namespace stashform::spacelift
