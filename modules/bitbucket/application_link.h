#pragma once
// bitbucket.application_link: a generic application link (PUT /rest/applinks/3.0/applicationlink)
// with its incoming OAuth 1.0a consumer (PUT /rest/applinks-oauth/1.0/applicationlink/{id}/
// authentication/consumer). The RSA key pair may be generated here; the private key then lives
// only in private sensitive state and is reached as `private_key_pem`.

#include "modules/bitbucket/api.h"
#include "modules/provider/provider.h"

namespace stashform::bitbucket {

const ResourceSchema& ApplicationLinkSchema();

/// ApplicationLinkType creates a link and its consumer, re-sends the consumer to change it, and
/// deletes the link; a change of the link itself (name, URLs) replaces it. Needs a system admin
/// authenticated with a password.
class ApplicationLinkType : public provider::ResourceType {
 public:
  explicit ApplicationLinkType(const BitbucketApi& api) : api_(api) {}

  const ResourceSchema& schema() const override { return ApplicationLinkSchema(); }
  provider::ReadResponse Read(const provider::ReadRequest& request) override;
  provider::PlanResponse Plan(const provider::PlanRequest& request) override;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
  /// A link id (UUID) or a link name.
  provider::ImportResponse Import(const std::string& id) override;
  provider::ImportResponse Find(const Value::Map& natural_key) override;

 private:
  provider::ApplyResponse Create(const provider::ApplyRequest& request);
  provider::ApplyResponse PutConsumer(const std::string& id, const Value::Map& planned, const Value::Map& prior);
  provider::ApplyResponse Delete(const provider::ApplyRequest& request);
  void ReadConsumer(const std::string& id, Value::Map& attributes, const Value::Map& prior);
  const BitbucketApi& api_;
};

}  // namespace stashform::bitbucket
