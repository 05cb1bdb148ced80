// Files: GET …/raw/{path}?at= (the bytes, as Backstage's URL reader fetches catalog-info.yaml) and
// …/browse[/{path}]?at= (a folder's children or a file's lines, paged).
#include "emulators/bitbucket/content.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/paging.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"

#include <set>

namespace stashform::emulator {

namespace {

constexpr const char* kRepository = "/rest/api/latest/projects/{projectKey}/repos/{repositorySlug}";

Response NoSuchPath(const std::string& path, const std::string& at) {
  return ErrorResponse(404, "The path \"" + path + "\" does not exist at revision \"" + at + "\"", std::nullopt,
                       "com.atlassian.bitbucket.content.NoSuchPathException");
}

/// The repository and revision a content call names, or the answer that ends it.
struct Located {
  const Repository* repository = nullptr;
  Revision revision;
  std::string at;  // as the caller wrote it, for messages
};

std::variant<Located, Response> Locate(Call& call) {
  auto found = ReadableRepository(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  const Repository& repository = *std::get<RepositoryRef>(found).repository;
  auto at = call.request.Query("at");
  auto revision = ResolveRevision(repository, at);
  if (auto* error = std::get_if<Response>(&revision)) return *error;
  Located located{&repository, std::get<Revision>(revision), ""};
  located.at = at ? *at : located.revision.ref;
  return located;
}

Response Raw(Call& call) {
  auto located = Locate(call);
  if (auto* error = std::get_if<Response>(&located)) return *error;
  const auto& where = std::get<Located>(located);
  const std::string& path = call.Param("path");
  auto file = where.repository->files.find(path);
  if (file == where.repository->files.end()) return NoSuchPath(path, where.at);
  Response response;
  response.SetHeader("Content-Type", "text/plain;charset=UTF-8");
  response.body = file->second;
  return response;
}

boost::json::object PathJson(const std::string& path) {
  boost::json::array components;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    if (slash > pos) components.push_back(boost::json::string(path.substr(pos, slash - pos)));
    pos = slash + 1;
  }
  std::string name = components.empty() ? "" : std::string(components.back().as_string());
  std::string parent = path.find('/') == std::string::npos ? "" : path.substr(0, path.rfind('/'));
  boost::json::object json{{"components", components}, {"parent", parent}, {"name", name}, {"toString", path}};
  if (auto dot = name.rfind('.'); dot != std::string::npos && dot > 0) json["extension"] = name.substr(dot + 1);
  return json;
}

/// The children of folder `folder` ("" for the top), folders first, each once.
boost::json::array Children(const Repository& repository, const std::string& folder) {
  const std::string prefix = folder.empty() ? "" : folder + "/";
  std::set<std::string> folders;
  boost::json::array files;
  for (const auto& [path, content] : repository.files) {
    if (path.rfind(prefix, 0) != 0) continue;
    std::string rest = path.substr(prefix.size());
    if (auto slash = rest.find('/'); slash != std::string::npos) {
      folders.insert(rest.substr(0, slash));
      continue;
    }
    files.push_back(boost::json::object{{"path", PathJson(rest)}, {"type", "FILE"}, {"size", content.size()}});
  }
  boost::json::array children;
  for (const auto& name : folders) children.push_back(boost::json::object{{"path", PathJson(name)}, {"type", "DIRECTORY"}});
  for (auto& file : files) children.push_back(std::move(file));
  return children;
}

boost::json::array Lines(const std::string& content) {
  boost::json::array lines;
  std::size_t pos = 0;
  while (pos < content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string::npos) end = content.size();
    lines.push_back(boost::json::object{{"text", content.substr(pos, end - pos)}});
    pos = end + 1;
  }
  return lines;
}

Response Browse(Call& call) {
  auto located = Locate(call);
  if (auto* error = std::get_if<Response>(&located)) return *error;
  const auto& where = std::get<Located>(located);
  const std::string path = call.params.count("path") ? call.Param("path") : "";
  auto page = ParsePageRequest(call.request, call.state.settings.page_limit_cap);
  if (!page) return ValidationError("limit", "start and limit must be integers.");
  if (auto file = where.repository->files.find(path); file != where.repository->files.end()) {
    boost::json::object lines = MakePage(Lines(file->second), *page);
    lines["lines"] = lines["values"];
    lines.erase("values");
    return JsonResponse(200, lines);
  }
  boost::json::array children = Children(*where.repository, path);
  if (children.empty() && !path.empty()) return NoSuchPath(path, where.at);
  return JsonResponse(200, boost::json::object{{"path", PathJson(path)},
                                               {"revision", where.revision.ref},
                                               {"children", MakePage(children, *page)}});
}

}  // namespace

void RegisterFileRoutes(Router& router) {
  const std::string repository = kRepository;
  router.Add("GET", repository + "/raw/{path*}", Raw);
  router.Add("GET", repository + "/browse", Browse);
  router.Add("GET", repository + "/browse/{path*}", Browse);
}

}  // namespace stashform::emulator
