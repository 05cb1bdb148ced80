#include "modules/bitbucket/data_sources.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "modules/bitbucket/lua_pattern.h"
#include "modules/bitbucket/resource_util.h"

namespace stashform::bitbucket {

namespace json = boost::json;

namespace {

AttributeSchema MatchAttr(const char* what) {
  return MakeAttribute("match", AttrType::kString, AttrMode::kOptional,
              fmt::format("Lua pattern the {} must contain (string.find), e.g. \"^tf%-\".", what));
}

ResourceSchema MakeRepositoriesSchema() {
  ResourceSchema s;
  s.type = "bitbucket.repositories";
  s.server_type = "bitbucket.server";
  s.is_data_source = true;
  s.description = "The repositories of one project, of several, or of the whole server; each item has "
                  "project, slug, name, id, archived, state and public.";
  auto archived = MakeAttribute("archived", AttrType::kBool, AttrMode::kOptional,
                       "Keep only archived (true) or only active (false, the default) repositories.");
  archived.default_value = Value(false);
  s.attributes = {MakeAttribute("project", AttrType::kString, AttrMode::kOptional, "One project key."),
                  MakeAttribute("projects", AttrType::kStringList, AttrMode::kOptional, "Several project keys."),
                  MatchAttr("repository slug"), archived};
  return s;
}

ResourceSchema MakeProjectsSchema() {
  ResourceSchema s;
  s.type = "bitbucket.projects";
  s.server_type = "bitbucket.server";
  s.is_data_source = true;
  s.description = "The projects the credentials can see; each item has key, name, id, public and type.";
  s.attributes = {MatchAttr("project key")};
  return s;
}

ResourceSchema MakeApplicationPropertiesSchema() {
  ResourceSchema s;
  s.type = "bitbucket.application_properties";
  s.server_type = "bitbucket.server";
  s.is_data_source = true;
  s.description = "The server's version, build number and display name (GET /rest/api/1.0/application-properties), "
                  "for recipes that need a minimum version.";
  return s;
}

bool JsonBool(const json::value& object, const char* field, bool fallback) {
  const json::value* v = object.is_object() ? object.as_object().if_contains(field) : nullptr;
  return v && v->is_bool() ? v->as_bool() : fallback;
}

Value RepositoryItem(const json::value& repo) {
  std::string project;
  if (const json::value* p = repo.as_object().if_contains("project")) project = JsonString(*p, "key");
  return Value(Value::Map{{"project", Value(project)},
                          {"slug", Value(JsonString(repo, "slug"))},
                          {"name", Value(JsonString(repo, "name"))},
                          {"id", Value(JsonInt(repo, "id"))},
                          {"archived", Value(JsonBool(repo, "archived", false))},
                          {"state", Value(JsonString(repo, "state"))},
                          {"public", Value(JsonBool(repo, "public", false))}});
}

Value ProjectItem(const json::value& project) {
  return Value(Value::Map{{"key", Value(JsonString(project, "key"))},
                          {"name", Value(JsonString(project, "name"))},
                          {"id", Value(JsonInt(project, "id"))},
                          {"public", Value(JsonBool(project, "public", false))},
                          {"type", Value(JsonString(project, "type"))}});
}

/// Appends the items of one listing that pass `keep`, in the server's order.
template <typename Keep, typename Make>
Status Collect(const BitbucketApi& api, const std::string& path, Keep keep, Make make, Value::List& out) {
  auto listing = api.ListAll(path);
  if (!listing.ok()) return listing.status();
  for (const auto& item : *listing) {
    if (!item.is_object()) continue;
    auto kept = keep(item);
    if (!kept.ok()) return kept.status();
    if (*kept) out.push_back(make(item));
  }
  return Status::Ok();
}

Result<Value> ReadRepositories(const BitbucketApi& api, const Value::Map& arguments) {
  std::vector<std::string> projects = ListAttr(arguments, "projects");
  if (!StringField(arguments, "project").empty()) projects.insert(projects.begin(), StringField(arguments, "project"));
  const bool archived = BoolAttr(arguments, "archived", false);
  LuaPattern pattern(StringField(arguments, "match"));
  const bool matching = !StringField(arguments, "match").empty();
  auto keep = [&](const json::value& repo) -> Result<bool> {
    if (JsonBool(repo, "archived", false) != archived) return false;
    return matching ? pattern.Find(JsonString(repo, "slug")) : Result<bool>(true);
  };
  Value::List items;
  // Without a project, the server-wide listing; ARCHIVED=ALL so that `archived` filters here.
  if (projects.empty()) projects.push_back("");
  for (const auto& project : projects) {
    std::string path = project.empty() ? "/rest/api/1.0/repos?archived=ALL"
                                       : "/rest/api/1.0/projects/" + PathSegment(project) + "/repos";
    if (Status s = Collect(api, path, keep, RepositoryItem, items); !s.ok())
      return Status::Error("bitbucket.repositories: " + s.message());
  }
  return Value(std::move(items));
}

Result<Value> ReadProjects(const BitbucketApi& api, const Value::Map& arguments) {
  LuaPattern pattern(StringField(arguments, "match"));
  const bool matching = !StringField(arguments, "match").empty();
  auto keep = [&](const json::value& project) -> Result<bool> {
    return matching ? pattern.Find(JsonString(project, "key")) : Result<bool>(true);
  };
  Value::List items;
  if (Status s = Collect(api, "/rest/api/1.0/projects", keep, ProjectItem, items); !s.ok())
    return Status::Error("bitbucket.projects: " + s.message());
  return Value(std::move(items));
}

/// {version = "8.9.0", build_number = "8009000", display_name = "Bitbucket"}.
Result<Value> ReadApplicationProperties(const BitbucketApi& api) {
  auto answer = api.Call("GET", "/rest/api/1.0/application-properties");
  if (!answer.ok()) return Status::Error("bitbucket.application_properties: " + answer.message());
  if (JsonString(answer->body, "version").empty())
    return Status::Error("bitbucket.application_properties: the answer has no version");
  return Value(Value::Map{{"version", Value(JsonString(answer->body, "version"))},
                          {"build_number", Value(JsonString(answer->body, "buildNumber"))},
                          {"display_name", Value(JsonString(answer->body, "displayName"))}});
}

}  // namespace

const ResourceSchema& RepositoriesSchema() {
  static const ResourceSchema kSchema = MakeRepositoriesSchema();
  return kSchema;
}

const ResourceSchema& ProjectsSchema() {
  static const ResourceSchema kSchema = MakeProjectsSchema();
  return kSchema;
}

const ResourceSchema& ApplicationPropertiesSchema() {
  static const ResourceSchema kSchema = MakeApplicationPropertiesSchema();
  return kSchema;
}

Result<Value> ReadBitbucketDataSource(const BitbucketApi& api, const std::string& type, const Value::Map& arguments) {
  if (type == RepositoriesSchema().type) return ReadRepositories(api, arguments);
  if (type == ProjectsSchema().type) return ReadProjects(api, arguments);
  if (type == ApplicationPropertiesSchema().type) return ReadApplicationProperties(api);
  return Status::Error("data source " + type + " is not served by bitbucket.server");
}

}  // namespace stashform::bitbucket
