#pragma once
// gitpod.auth_provider: a Git integration of a Gitpod installation (an organization's or a
// user's), over gitpod.v1.AuthProviderService {Create,Get,List,Update,Delete}AuthProvider.

#include "modules/gitpod/api.h"
#include "modules/provider/provider.h"

namespace stashform::gitpod {

const ResourceSchema& AuthProviderSchema();

/// AuthProviderType reads, creates, updates and deletes auth providers. The client secret is
/// write-only (Gitpod reads it back as "redacted"; state keeps its digest). A provider that no
/// owner has connected yet answers `pending`: no API call can verify it, so it is a state the plan
/// reports, never a change it makes.
class AuthProviderType : public provider::ResourceType {
 public:
  explicit AuthProviderType(const GitpodApi& api) : api_(api) {}

  const ResourceSchema& schema() const override { return AuthProviderSchema(); }
  provider::ReadResponse Read(const provider::ReadRequest& request) override;
  /// Fills the owner (the account's organization) and, for Bitbucket Server, the OAuth 2 URLs
  /// Gitpod derives from the host, so that what is planned is what the server reads back.
  provider::PlanResponse Plan(const provider::PlanRequest& request) override;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
  /// An auth provider id (a UUID), or a host of the account's organization.
  provider::ImportResponse Import(const std::string& id) override;
  /// By (organization_id or owner_id, host), through ListAuthProviders.
  provider::ImportResponse Find(const Value::Map& natural_key) override;

 private:
  provider::ApplyResponse Create(const provider::ApplyRequest& request);
  provider::ApplyResponse AdoptExisting(const provider::ApplyRequest& request, const Status& conflict);
  provider::ApplyResponse Update(const std::string& id, const Value::Map& planned, const Value::Map& prior);
  const GitpodApi& api_;
};

/// The note a provider no owner has connected yet carries: "pending verification — an owner must
/// connect at <url>".
std::string PendingVerificationNote(const std::string& url);

}  // namespace stashform::gitpod
