#pragma once
// bitbucket.access_token: an HTTP access token of a user, a project or a repository, over
// /rest/access-tokens/1.0/{users/U | projects/P | projects/P/repos/R}. The token value exists only
// in the create answer; it is kept as private sensitive state and reached as `token`.

#include <cstdint>
#include <functional>

#include "modules/bitbucket/api.h"
#include "modules/provider/provider.h"

namespace stashform::bitbucket {

const ResourceSchema& AccessTokenSchema();

/// Milliseconds since the epoch; tests pass a fixed clock.
using NowMillis = std::function<int64_t()>;
int64_t SystemNowMillis();

/// AccessTokenType creates (PUT), renames or re-permissions (POST partial update) and revokes
/// tokens. A token that expired, or that comes within rotate_before_days of expiring, is planned
/// for replacement; one revoked remotely reads as gone.
class AccessTokenType : public provider::ResourceType {
 public:
  explicit AccessTokenType(const BitbucketApi& api, NowMillis now = SystemNowMillis) : api_(api), now_(std::move(now)) {}

  const ResourceSchema& schema() const override { return AccessTokenSchema(); }
  provider::ReadResponse Read(const provider::ReadRequest& request) override;
  provider::PlanResponse Plan(const provider::PlanRequest& request) override;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
  /// "users/USER/ID", "projects/KEY/ID" or "projects/KEY/repos/SLUG/ID"; a name in place of ID.
  provider::ImportResponse Import(const std::string& id) override;
  provider::ImportResponse Find(const Value::Map& natural_key) override;
  /// One listing per owner for all the keys of that owner; matches oldest (lowest id) first.
  std::vector<provider::FoundObjects> FindMany(const std::vector<Value::Map>& natural_keys) override;
  /// Tokens of the owners of managed tokens that state does not record (orphans of a lost state).
  std::vector<provider::UnmanagedObject> ListUnmanaged(const std::vector<provider::ReadRequest>& managed,
                                                       Diagnostics& diagnostics) override;

 private:
  provider::ApplyResponse Create(const provider::ApplyRequest& request);
  provider::ApplyResponse Update(const provider::ApplyRequest& request);
  provider::ApplyResponse Delete(const provider::ApplyRequest& request);
  provider::ImportResponse FindByIdOrName(const Value::Map& owner, const std::string& key);
  bool DueForRotation(const Value::Map& attributes, int64_t rotate_before_days) const;
  const BitbucketApi& api_;
  NowMillis now_;
};

}  // namespace stashform::bitbucket
