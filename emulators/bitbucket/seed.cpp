#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/webhooks.h"

#include <stdexcept>

namespace stashform::emulator {

namespace {

std::string StringField(const boost::json::object& object, const char* name, const std::string& fallback,
                        const std::string& where) {
  const auto* value = object.if_contains(name);
  if (!value) return fallback;
  if (!value->is_string()) throw std::runtime_error(where + "." + name + " must be a string");
  return std::string(value->as_string());
}

bool BoolField(const boost::json::object& object, const char* name, bool fallback, const std::string& where) {
  const auto* value = object.if_contains(name);
  if (!value) return fallback;
  if (!value->is_bool()) throw std::runtime_error(where + "." + name + " must be true or false");
  return value->as_bool();
}

const boost::json::array& ArrayField(const boost::json::object& object, const char* name, const std::string& where) {
  static const boost::json::array empty;
  const auto* value = object.if_contains(name);
  if (!value) return empty;
  if (!value->is_array()) throw std::runtime_error(where + "." + name + " must be an array");
  return value->as_array();
}

Level LevelOrThrow(const std::string& permission, const std::string& where) {
  Level level = ParseLevel(permission);
  if (level == Level::kNone) throw std::runtime_error(where + ": unknown permission " + permission);
  return level;
}

void AddUser(Model& model, const boost::json::value& json, std::size_t index) {
  std::string where = "users[" + std::to_string(index) + "]";
  if (!json.is_object()) throw std::runtime_error(where + " must be an object");
  const auto& object = json.as_object();
  User user;
  user.id = model.next_user_id++;
  user.name = StringField(object, "name", "", where);
  if (user.name.empty()) throw std::runtime_error(where + ".name is required");
  user.password = StringField(object, "password", "", where);
  user.slug = StringField(object, "slug", SlugFrom(user.name), where);
  user.display_name = StringField(object, "displayName", user.name, where);
  user.email = StringField(object, "email", user.slug + "@example.com", where);
  user.sys_admin = BoolField(object, "admin", false, where);
  if (const auto* permissions = object.if_contains("permissions")) {
    const auto& grants = permissions->as_object();
    if (const auto* projects = grants.if_contains("projects"))
      for (const auto& [key, level] : projects->as_object())
        user.project_levels[std::string(key)] = LevelOrThrow(std::string(level.as_string()), where);
    if (const auto* repositories = grants.if_contains("repositories"))
      for (const auto& [key, level] : repositories->as_object())
        user.repository_levels[std::string(key)] = LevelOrThrow(std::string(level.as_string()), where);
  }
  if (model.FindUserByName(user.name)) throw std::runtime_error(where + ": duplicate user " + user.name);
  model.users.push_back(std::move(user));
}

void AddSeedWebhook(Model& model, const boost::json::value& json, const std::string& where,
                    const std::string& project_key, const std::string& repository_slug) {
  auto parsed = ParseWebhookBody(json, nullptr);
  if (auto* error = std::get_if<Response>(&parsed)) throw std::runtime_error(where + ": " + error->body);
  Webhook webhook = std::get<Webhook>(std::move(parsed));
  webhook.id = model.next_webhook_id++;
  webhook.scope_type = repository_slug.empty() ? "project" : "repository";
  webhook.project_key = project_key;
  webhook.repository_slug = repository_slug;
  webhook.created_date = webhook.updated_date = NowMillis();
  model.AddWebhook(std::move(webhook));
}

void AddProject(Model& model, const boost::json::value& json, std::size_t index) {
  std::string where = "projects[" + std::to_string(index) + "]";
  if (!json.is_object()) throw std::runtime_error(where + " must be an object");
  const auto& object = json.as_object();
  Project project;
  project.id = model.next_project_id++;
  project.key = StringField(object, "key", "", where);
  if (project.key.empty()) throw std::runtime_error(where + ".key is required");
  if (model.FindProject(project.key)) throw std::runtime_error(where + ": duplicate project " + project.key);
  project.name = StringField(object, "name", project.key, where);
  project.description = StringField(object, "description", "", where);
  project.is_public = BoolField(object, "public", false, where);
  const auto& repositories = ArrayField(object, "repositories", where);
  for (std::size_t i = 0; i < repositories.size(); ++i) {
    std::string repo_where = where + ".repositories[" + std::to_string(i) + "]";
    const auto& repo_json = repositories[i].as_object();
    Repository repository;
    repository.id = model.next_repository_id++;
    repository.name = StringField(repo_json, "name", StringField(repo_json, "slug", "", repo_where), repo_where);
    repository.slug = StringField(repo_json, "slug", SlugFrom(repository.name), repo_where);
    if (repository.slug.empty()) throw std::runtime_error(repo_where + ".slug or .name is required");
    repository.description = StringField(repo_json, "description", "", repo_where);
    repository.state = StringField(repo_json, "state", "AVAILABLE", repo_where);
    repository.default_branch = StringField(repo_json, "defaultBranch", "main", repo_where);
    repository.is_public = BoolField(repo_json, "public", false, repo_where);
    repository.archived = BoolField(repo_json, "archived", false, repo_where);
    for (const auto& existing : project.repositories)
      if (existing.slug == repository.slug) throw std::runtime_error(repo_where + ": duplicate slug " + existing.slug);
    SeedRepositoryContent(project.key, repository, repo_json, repo_where);
    project.repositories.push_back(repository);
  }
  std::string key = project.key;
  model.AddProject(std::move(project));
  const auto& webhooks = ArrayField(object, "webhooks", where);
  for (std::size_t i = 0; i < webhooks.size(); ++i)
    AddSeedWebhook(model, webhooks[i], where + ".webhooks[" + std::to_string(i) + "]", key, "");
  for (std::size_t r = 0; r < repositories.size(); ++r) {
    std::string repo_where = where + ".repositories[" + std::to_string(r) + "]";
    const auto& repo_hooks = ArrayField(repositories[r].as_object(), "webhooks", repo_where);
    const std::string slug = model.FindProject(key)->repositories[r].slug;
    for (std::size_t i = 0; i < repo_hooks.size(); ++i)
      AddSeedWebhook(model, repo_hooks[i], repo_where + ".webhooks[" + std::to_string(i) + "]", key, slug);
  }
}

}  // namespace

Model ModelFromSeed(const boost::json::value& seed) {
  Model model;
  if (seed.is_null()) return model;
  if (!seed.is_object()) throw std::runtime_error("seed: the document must be a JSON object");
  try {
    const auto& object = seed.as_object();
    const auto& users = ArrayField(object, "users", "seed");
    for (std::size_t i = 0; i < users.size(); ++i) AddUser(model, users[i], i);
    const auto& projects = ArrayField(object, "projects", "seed");
    for (std::size_t i = 0; i < projects.size(); ++i) AddProject(model, projects[i], i);
  } catch (const boost::system::system_error& error) {
    throw std::runtime_error(std::string("seed: wrong type: ") + error.what());
  }
  return model;
}

}  // namespace stashform::emulator
