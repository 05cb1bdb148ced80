// application-properties, projects, repositories (per project and the global /repos search), users.
#include "emulators/bitbucket/auth.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/paging.h"
#include "emulators/bitbucket/render.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"
#include "emulators/bitbucket/webhooks.h"

#include <algorithm>
#include <cctype>

namespace stashform::emulator {

namespace {

constexpr const char* kApi = "/rest/api/latest";

std::string Lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Trimmed(const std::string& text) {
  auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool ContainsFolded(const std::string& haystack, const std::string& needle) {
  return Lower(haystack).find(Lower(Trimmed(needle))) != std::string::npos;
}

/// "7.0.1" → "7000001"; the build number encodes the version (bitbucket-api.md §1.6).
std::string BuildNumberOf(const std::string& version) {
  int parts[3] = {0, 0, 0};
  std::size_t pos = 0;
  for (int i = 0; i < 3 && pos <= version.size(); ++i) {
    std::size_t dot = version.find('.', pos);
    try {
      parts[i] = std::stoi(version.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos));
    } catch (const std::exception&) {
      parts[i] = 0;
    }
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  return std::to_string(parts[0] * 1000000 + parts[1] * 1000 + parts[2]);
}

Response ApplicationProperties(Call& call) {
  static const std::int64_t started = NowMillis();
  const std::string& version = call.state.settings.version;
  // Strings, as the spec and a live 6.10 send them (§1.6).
  return JsonResponse(200, boost::json::object{{"version", version},
                                               {"buildNumber", BuildNumberOf(version)},
                                               {"buildDate", std::to_string(started)},
                                               {"displayName", "Bitbucket"}});
}

/// Undocumented in the spec; shapes from Atlassian's Jenkins plugin fixtures (bitbucket-api.md §1.6).
Response Capabilities(Call& call) {
  const std::string& base = call.state.base_url;
  return JsonResponse(200, boost::json::object{
                               {"links", {{"self", base + "/rest/capabilities"}}},
                               {"application", "stash"},
                               {"buildDate", std::to_string(NowMillis())},
                               {"capabilities", {{"webhooks", base + "/rest/webhooks/latest/capabilities"}}}});
}

Response WebhookCapabilities(Call&) {
  boost::json::array events;
  for (const auto& event : SubscribableEvents()) events.push_back(boost::json::string(event));
  return JsonResponse(200, boost::json::object{{"application-webhooks", events}});
}

Response WhoAmI(Call& call) {
  Response response;
  response.SetHeader("Content-Type", "text/plain;charset=UTF-8");
  response.body = call.principal ? call.principal->name : "";
  return response;
}

bool MaySeeProject(const Principal* principal, const Project& project) {
  if (MayOnProject(principal, project, Level::kRead)) return true;
  for (const auto& repository : project.repositories)
    if (MayOnRepository(principal, project, repository, Level::kRead)) return true;
  return false;
}

Response ListProjects(Call& call) {
  if (!call.principal) return NotAuthenticated();
  Level needed = Level::kRead;
  if (auto permission = call.request.Query("permission")) {
    needed = ParseLevel(*permission);
    if (needed == Level::kNone || permission->rfind("PROJECT_", 0) != 0)
      return ValidationError("permission", "Invalid project permission: " + *permission);
  }
  auto name = call.request.Query("name");
  boost::json::array all;
  for (const auto& project : call.state.model.projects()) {
    if (project.key.rfind("~", 0) == 0) continue;  // personal projects are not listed here
    if (name && !ContainsFolded(project.name, *name)) continue;
    bool visible = needed == Level::kRead ? MaySeeProject(call.principal, project)
                                          : MayOnProject(call.principal, project, needed);
    if (visible) all.push_back(ProjectJson(project, call.state.base_url));
  }
  return PagedResponse(call.request, call.state.settings.page_limit_cap, all);
}

Response GetProject(Call& call) {
  Project* project = call.state.model.FindProject(call.Param("projectKey"));
  if (!project) return NoSuchProject(call.Param("projectKey"));
  if (!MaySeeProject(call.principal, *project)) return NotPermitted();
  return JsonResponse(200, ProjectJson(*project, call.state.base_url));
}

Response ListProjectRepositories(Call& call) {
  Project* project = call.state.model.FindProject(call.Param("projectKey"));
  if (!project) return NoSuchProject(call.Param("projectKey"));
  if (!MaySeeProject(call.principal, *project)) return NotPermitted();
  boost::json::array all;
  for (const auto& repository : project->repositories)
    if (MayOnRepository(call.principal, *project, repository, Level::kRead))
      all.push_back(RepositoryJson(*project, repository, call.state.base_url));
  return PagedResponse(call.request, call.state.settings.page_limit_cap, all);
}

Response GetRepository(Call& call) {
  const std::string& key = call.Param("projectKey");
  const std::string& slug = call.Param("repositorySlug");
  Project* project = call.state.model.FindProject(key);
  if (!project) return NoSuchProject(key);
  Repository* repository = call.state.model.FindRepository(key, slug);
  if (!repository) return NoSuchRepository(key, slug);
  if (!MayOnRepository(call.principal, *project, *repository, Level::kRead)) return NotPermitted();
  return JsonResponse(200, RepositoryJson(*project, *repository, call.state.base_url));
}

/// Filters of GET /repos; each validated value is kept in the form the match needs.
struct RepositoryFilter {
  std::optional<std::string> name, project_name, project_key, visibility, state;
  std::string archived = "ACTIVE";
  Level level = Level::kRead;
};

std::optional<Response> ReadRepositoryFilter(const Request& request, RepositoryFilter& filter) {
  filter.name = request.Query("name");
  filter.project_name = request.Query("projectname");
  filter.project_key = request.Query("projectkey");
  if ((filter.visibility = request.Query("visibility"))) {
    *filter.visibility = Lower(*filter.visibility);
    if (*filter.visibility != "public" && *filter.visibility != "private")
      return ValidationError("visibility", "Invalid visibility: " + *filter.visibility);
  }
  if ((filter.state = request.Query("state"))) {
    if (*filter.state != "AVAILABLE" && *filter.state != "INITIALISING" && *filter.state != "INITIALISATION_FAILED")
      return ValidationError("state", "Invalid repository state: " + *filter.state);
  }
  if (auto archived = request.Query("archived")) {
    std::string upper = *archived;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper != "ACTIVE" && upper != "ARCHIVED" && upper != "ALL")
      return ValidationError("archived", "Invalid archived filter: " + *archived);
    filter.archived = upper;
  }
  if (auto permission = request.Query("permission")) {
    filter.level = ParseLevel(*permission);
    if (filter.level == Level::kNone || permission->rfind("REPO_", 0) != 0)
      return ValidationError("permission", "Invalid repository permission: " + *permission);
  }
  return std::nullopt;
}

bool Matches(const RepositoryFilter& filter, const Project& project, const Repository& repository) {
  if (filter.name && !ContainsFolded(repository.name, *filter.name)) return false;
  if (filter.project_name && !ContainsFolded(project.name, *filter.project_name)) return false;
  if (filter.project_key && Lower(project.key) != Lower(Trimmed(*filter.project_key))) return false;
  if (filter.visibility && (*filter.visibility == "public") != repository.is_public) return false;
  if (filter.state && *filter.state != repository.state) return false;
  if (filter.archived == "ACTIVE" && repository.archived) return false;
  if (filter.archived == "ARCHIVED" && !repository.archived) return false;
  return true;
}

Response SearchRepositories(Call& call) {
  if (!call.principal) return NotAuthenticated();
  RepositoryFilter filter;
  if (auto error = ReadRepositoryFilter(call.request, filter)) return *error;
  boost::json::array all;
  for (const auto& project : call.state.model.projects())
    for (const auto& repository : project.repositories)
      if (Matches(filter, project, repository) && MayOnRepository(call.principal, project, repository, filter.level))
        all.push_back(RepositoryJson(project, repository, call.state.base_url));
  return PagedResponse(call.request, call.state.settings.page_limit_cap, all);
}

Response ListUsers(Call& call) {
  if (!call.principal) return NotAuthenticated();
  auto filter = call.request.Query("filter");
  boost::json::array all;
  for (const auto& user : call.state.model.users) {
    if (user.service) continue;
    if (filter && !ContainsFolded(user.name, *filter) && !ContainsFolded(user.display_name, *filter) &&
        !ContainsFolded(user.email, *filter))
      continue;
    all.push_back(UserJson(user, call.state.base_url));
  }
  return PagedResponse(call.request, call.state.settings.page_limit_cap, all);
}

Response GetUser(Call& call) {
  if (!call.principal) return NotAuthenticated();
  User* user = call.state.model.FindUserBySlug(call.Param("userSlug"));
  if (!user || user->service) return NoSuchUser(call.Param("userSlug"));
  return JsonResponse(200, UserJson(*user, call.state.base_url));
}

}  // namespace

void RegisterCoreRoutes(Router& router) {
  std::string api = kApi;
  router.Add("GET", api + "/application-properties", ApplicationProperties);
  router.Add("GET", "/plugins/servlet/applinks/whoami", WhoAmI);
  router.Add("GET", "/rest/capabilities", Capabilities);
  router.Add("GET", "/rest/webhooks/latest/capabilities", WebhookCapabilities);
  router.Add("GET", api + "/projects", ListProjects);
  router.Add("GET", api + "/projects/{projectKey}", GetProject);
  router.Add("GET", api + "/projects/{projectKey}/repos", ListProjectRepositories);
  router.Add("GET", api + "/projects/{projectKey}/repos/{repositorySlug}", GetRepository);
  router.Add("GET", api + "/repos", SearchRepositories);
  router.Add("GET", api + "/users", ListUsers);
  router.Add("GET", api + "/users/{userSlug}", GetUser);
}

}  // namespace stashform::emulator
