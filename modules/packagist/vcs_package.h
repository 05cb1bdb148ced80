#pragma once
// packagist.vcs_package: a package Private Packagist builds from a VCS repository, over
// /api/packages/. Create and edit answer a job; the type waits for it (PackagistApi::WaitForJob).

#include "modules/packagist/api.h"
#include "modules/provider/provider.h"

namespace stashform::packagist {

const ResourceSchema& VcsPackageSchema();

/// VcsPackageType adds a package by repository URL, edits its URL or credential in place, and
/// deletes it; its id is the package name Packagist reads from the repository's composer.json.
/// A job that fails is an error carrying the job's message, and the answer then says truly
/// whether the package exists (it is looked up by repository URL).
class VcsPackageType : public provider::ResourceType {
 public:
  explicit VcsPackageType(const PackagistApi& api) : api_(api) {}

  const ResourceSchema& schema() const override { return VcsPackageSchema(); }
  provider::ReadResponse Read(const provider::ReadRequest& request) override;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
  /// A package name, or a repository URL.
  provider::ImportResponse Import(const std::string& id) override;
  provider::ImportResponse Find(const Value::Map& natural_key) override;

 private:
  provider::ApplyResponse Create(const provider::ApplyRequest& request);
  provider::ApplyResponse Update(const provider::ApplyRequest& request);
  /// The package as it is after a job: by the name the job reports, else by repository URL.
  provider::ApplyResponse AfterJob(const Result<boost::json::value>& job, const std::string& repo_url);
  const PackagistApi& api_;
};

}  // namespace stashform::packagist
