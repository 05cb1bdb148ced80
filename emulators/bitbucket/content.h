#pragma once
// What the content endpoints (branches, files, commits, archive) share: finding the repository a
// call names with the caller's read permission, resolving `at=` to a commit, and the wire shapes of
// branches and commits. The emulated repository has one set of files, the same at every commit.

#include "emulators/bitbucket/model.h"
#include "emulators/bitbucket/router.h"

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <variant>

namespace stashform::emulator {

/// The repository a call's {projectKey}/{repositorySlug} name.
struct RepositoryRef {
  Project* project = nullptr;
  Repository* repository = nullptr;
};

/// The repository, or the answer when it does not exist or the caller may not read it.
std::variant<RepositoryRef, Response> ReadableRepository(Call& call);

/// A revision `at` resolved: the commit and how the ref reads ("refs/heads/main" or the id).
struct Revision {
  const Commit* commit = nullptr;
  const Branch* branch = nullptr;  // when `at` named a branch (or was absent)
  std::string ref;
};

/// Resolves `at` (absent: the default branch): a branch name, refs/heads/<name>, or a commit id
/// (at least 7 leading hex digits). The answer, when it resolves to nothing, is a 404 as the real
/// server gives it.
std::variant<Revision, Response> ResolveRevision(const Repository& repository, const std::optional<std::string>& at);

const Branch* DefaultBranchOf(const Repository& repository);
const Commit* FindCommit(const Repository& repository, const std::string& id_or_prefix);

/// RestBranch as real servers send it (`isDefault`, not the document's `default`).
boost::json::object BranchJson(const Repository& repository, const Branch& branch, bool details);
/// RestMinimalRef of a branch.
boost::json::object MinimalRefJson(const Branch& branch);
/// RestCommit.
boost::json::object CommitJson(const Commit& commit);

/// The commits reachable from `head`, latest first.
std::vector<const Commit*> History(const Repository& repository, const std::string& head);

Response NoDefaultBranch(const Repository& repository);

}  // namespace stashform::emulator
