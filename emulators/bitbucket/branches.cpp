// Branches: GET …/branches (paged; filterText, orderBy, details), …/branches/default and
// …/default-branch, the calls Backstage's URL reader makes for a repository's default branch.
#include "emulators/bitbucket/content.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/paging.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"

#include <algorithm>
#include <cctype>

namespace stashform::emulator {

namespace {

constexpr const char* kRepository = "/rest/api/latest/projects/{projectKey}/repos/{repositorySlug}";

std::string Lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::int64_t TimestampOf(const Repository& repository, const Branch& branch) {
  const Commit* commit = FindCommit(repository, branch.latest_commit);
  return commit ? commit->timestamp : 0;
}

Response ListBranches(Call& call) {
  auto found = ReadableRepository(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  const Repository& repository = *std::get<RepositoryRef>(found).repository;
  std::string order = call.request.Query("orderBy").value_or("MODIFICATION");
  for (auto& c : order) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (order != "MODIFICATION" && order != "ALPHABETICAL")
    return ValidationError("orderBy", "Invalid orderBy: " + order + " (ALPHABETICAL or MODIFICATION)");
  const std::string filter = Lower(call.request.Query("filterText").value_or(""));
  const bool details = call.request.Query("details").value_or("false") == "true";
  std::vector<const Branch*> matching;
  for (const auto& branch : repository.branches)
    if (Lower(branch.name).find(filter) != std::string::npos) matching.push_back(&branch);
  std::stable_sort(matching.begin(), matching.end(), [&](const Branch* a, const Branch* b) {
    if (order == "ALPHABETICAL") return a->name < b->name;
    return TimestampOf(repository, *a) > TimestampOf(repository, *b);  // most recently changed first
  });
  boost::json::array all;
  for (const Branch* branch : matching) all.push_back(BranchJson(repository, *branch, details));
  return PagedResponse(call.request, call.state.settings.page_limit_cap, all);
}

Response DefaultBranch(Call& call) {
  auto found = ReadableRepository(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  const Repository& repository = *std::get<RepositoryRef>(found).repository;
  const Branch* branch = DefaultBranchOf(repository);
  if (!branch) return NoDefaultBranch(repository);
  return JsonResponse(200, BranchJson(repository, *branch, false));
}

Response DefaultBranchRef(Call& call) {
  auto found = ReadableRepository(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  const Repository& repository = *std::get<RepositoryRef>(found).repository;
  const Branch* branch = DefaultBranchOf(repository);
  if (!branch) return NoDefaultBranch(repository);
  return JsonResponse(200, MinimalRefJson(*branch));
}

}  // namespace

void RegisterBranchRoutes(Router& router) {
  const std::string repository = kRepository;
  router.Add("GET", repository + "/branches", ListBranches);
  router.Add("GET", repository + "/branches/default", DefaultBranch);
  router.Add("GET", repository + "/default-branch", DefaultBranchRef);
}

}  // namespace stashform::emulator
