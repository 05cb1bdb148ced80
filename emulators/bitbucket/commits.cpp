// Commits: GET …/commits (paged, latest first; until, since, path) and …/commits/{commitId}.
#include "emulators/bitbucket/content.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/paging.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"

namespace stashform::emulator {

namespace {

constexpr const char* kRepository = "/rest/api/latest/projects/{projectKey}/repos/{repositorySlug}";

Response ListCommits(Call& call) {
  auto found = ReadableRepository(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  const Repository& repository = *std::get<RepositoryRef>(found).repository;
  auto until = ResolveRevision(repository, call.request.Query("until"));
  if (auto* error = std::get_if<Response>(&until)) return *error;
  std::string since_id;
  if (auto since = call.request.Query("since")) {
    auto resolved = ResolveRevision(repository, since);
    if (auto* error = std::get_if<Response>(&resolved)) return *error;
    since_id = std::get<Revision>(resolved).commit->id;
  }
  // Every commit holds every file: a path filter keeps the history only when the file exists.
  auto path = call.request.Query("path");
  const bool path_known = !path || repository.files.count(*path) > 0;
  boost::json::array all;
  for (const Commit* commit : History(repository, std::get<Revision>(until).commit->id)) {
    if (commit->id == since_id) break;
    if (path_known) all.push_back(CommitJson(*commit));
  }
  return PagedResponse(call.request, call.state.settings.page_limit_cap, all);
}

Response GetCommit(Call& call) {
  auto found = ReadableRepository(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  const Repository& repository = *std::get<RepositoryRef>(found).repository;
  auto revision = ResolveRevision(repository, call.Param("commitId"));
  if (auto* error = std::get_if<Response>(&revision)) return *error;
  return JsonResponse(200, CommitJson(*std::get<Revision>(revision).commit));
}

}  // namespace

void RegisterCommitRoutes(Router& router) {
  const std::string repository = kRepository;
  router.Add("GET", repository + "/commits", ListCommits);
  router.Add("GET", repository + "/commits/{commitId}", GetCommit);
}

}  // namespace stashform::emulator
