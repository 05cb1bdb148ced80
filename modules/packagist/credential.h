#pragma once
// packagist.credential: a credential of a Private Packagist organization (what Packagist logs in
// to a repository with), over /api/credentials/ and /api/credentials/{id}/.

#include "modules/packagist/api.h"
#include "modules/provider/provider.h"

namespace stashform::packagist {

const ResourceSchema& CredentialSchema();

/// CredentialType creates, reads, updates in place (type, username, secret) and deletes
/// credentials. The secret is write-only: state keeps its digest, and when the API echoes the
/// secret back, only its digest is kept, so that a secret changed by hand shows as drift.
class CredentialType : public provider::ResourceType {
 public:
  explicit CredentialType(const PackagistApi& api) : api_(api) {}

  const ResourceSchema& schema() const override { return CredentialSchema(); }
  provider::ReadResponse Read(const provider::ReadRequest& request) override;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
  /// A credential id, or a description.
  provider::ImportResponse Import(const std::string& id) override;
  provider::ImportResponse Find(const Value::Map& natural_key) override;

 private:
  provider::ApplyResponse Create(const provider::ApplyRequest& request);
  provider::ApplyResponse Update(const provider::ApplyRequest& request);
  const PackagistApi& api_;
};

}  // namespace stashform::packagist
