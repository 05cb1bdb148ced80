#pragma once
// bitbucket.oauth2_client: an OAuth 2.0 incoming link ("external application"), over
// /rest/oauth2/latest/client. That API's shape is UNCONFIRMED (reference §4.2); the whole wire
// mapping sits at the top of oauth2_client.cpp so that it changes in one place.

#include <boost/json/value.hpp>

#include "modules/bitbucket/api.h"
#include "modules/provider/provider.h"

namespace stashform::bitbucket {

const ResourceSchema& OAuth2ClientSchema();

/// OAuth2ClientType creates (POST), replaces (PUT) and deletes OAuth 2.0 clients; the client secret
/// comes only from the create answer and is kept as private sensitive state.
class OAuth2ClientType : public provider::ResourceType {
 public:
  explicit OAuth2ClientType(const BitbucketApi& api) : api_(api) {}

  const ResourceSchema& schema() const override { return OAuth2ClientSchema(); }
  provider::ReadResponse Read(const provider::ReadRequest& request) override;
  provider::PlanResponse Plan(const provider::PlanRequest& request) override;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
  /// A client id, or a client name.
  provider::ImportResponse Import(const std::string& id) override;
  provider::ImportResponse Find(const Value::Map& natural_key) override;
  /// One listing for all the keys; matches in the server's order (creation order), oldest first.
  std::vector<provider::FoundObjects> FindMany(const std::vector<Value::Map>& natural_keys) override;
  /// Clients that state does not record (orphans of a lost state).
  std::vector<provider::UnmanagedObject> ListUnmanaged(const std::vector<provider::ReadRequest>& managed,
                                                       Diagnostics& diagnostics) override;

 private:
  /// Every client the server has, or the listing's failure.
  Result<std::vector<boost::json::value>> ListClients();
  provider::ApplyResponse Write(const provider::ApplyRequest& request);
  provider::ApplyResponse Delete(const provider::ApplyRequest& request);
  const BitbucketApi& api_;
};

}  // namespace stashform::bitbucket
