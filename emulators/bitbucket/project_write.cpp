// POST /projects and POST /projects/{key}/repos: 201, 400, 401, 409 (bitbucket-api.md §1.7), so a
// demo or a test can grow the seeded instance through the real API.
#include "emulators/bitbucket/auth.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/common/json_body.h"
#include "emulators/bitbucket/render.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"

#include <cctype>

namespace stashform::emulator {

namespace {

std::variant<boost::json::object, Response> ParseObject(const Call& call) {
  return ParseJsonObjectBody(call.request.body, Errors());
}

std::string StringOr(const boost::json::object& object, const char* name, const std::string& fallback = "") {
  const auto* value = object.if_contains(name);
  return value && value->is_string() ? std::string(value->as_string()) : fallback;
}

bool ValidProjectKey(const std::string& key) {
  if (key.empty() || key.size() > 128 || !std::isalpha(static_cast<unsigned char>(key[0]))) return false;
  for (char c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

Response CreateProject(Call& call) {
  if (!call.principal) return NotAuthenticated();
  // PROJECT_CREATE is a global permission; only system admins hold one here.
  if (!IsSysAdmin(call.principal)) return NotPermitted();
  auto parsed = ParseObject(call);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  const auto& body = std::get<boost::json::object>(parsed);
  Project project;
  project.key = StringOr(body, "key");
  project.name = StringOr(body, "name");
  project.description = StringOr(body, "description");
  if (!ValidProjectKey(project.key))
    return ValidationError("key", "Project key must start with a letter and hold only letters, digits and underscores.");
  if (project.name.empty()) return ValidationError("name", "The name should be between 1 and 255 characters.");
  Model& model = call.state.model;
  for (const auto& existing : model.projects()) {
    if (existing.key == project.key)
      return ErrorResponse(409, "This project key is already in use.", "key",
                           "com.atlassian.bitbucket.project.DuplicateProjectKeyException");
    if (existing.name == project.name)
      return ErrorResponse(409, "This project name is already in use.", "name",
                           "com.atlassian.bitbucket.project.DuplicateProjectNameException");
  }
  project.id = model.next_project_id++;
  const Project& stored = model.AddProject(std::move(project));
  return JsonResponse(201, ProjectJson(stored, call.state.base_url));
}

Response CreateRepository(Call& call) {
  if (!call.principal) return NotAuthenticated();
  Project* project = call.state.model.FindProject(call.Param("projectKey"));
  if (!project) return NoSuchProject(call.Param("projectKey"));
  if (!MayOnProject(call.principal, *project, Level::kAdmin)) return NotPermitted();
  auto parsed = ParseObject(call);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  const auto& body = std::get<boost::json::object>(parsed);
  Repository repository;
  repository.name = StringOr(body, "name");
  repository.description = StringOr(body, "description");
  repository.default_branch = StringOr(body, "defaultBranch", "main");
  if (repository.name.empty()) return ValidationError("name", "The name should be between 1 and 128 characters.");
  repository.slug = SlugFrom(repository.name);
  if (repository.slug.empty()) return ValidationError("name", "The name must contain a letter or digit.");
  if (const auto* is_public = body.if_contains("public"); is_public && is_public->is_bool())
    repository.is_public = is_public->as_bool();
  for (const auto& existing : project->repositories)
    if (existing.slug == repository.slug || existing.name == repository.name)
      return ErrorResponse(409, "This repository name is already taken.", "name",
                           "com.atlassian.bitbucket.repository.DuplicateRepositoryNameException");
  repository.id = call.state.model.next_repository_id++;
  const Repository& stored = call.state.model.AddRepository(*project, std::move(repository));
  return JsonResponse(201, RepositoryJson(*project, stored, call.state.base_url));
}

}  // namespace

void RegisterProjectWriteRoutes(Router& router) {
  router.Add("POST", "/rest/api/latest/projects", CreateProject);
  router.Add("POST", "/rest/api/latest/projects/{projectKey}/repos", CreateRepository);
}

}  // namespace stashform::emulator
