// /api/packages/ (create and edit answer a job), /api/jobs/{id} (a job completes after a few
// polls; a repository URL seeded in jobFailures makes its jobs fail) and /api/synchronizations/.

#include "emulators/packagist/app.h"

namespace stashform::emulator::packagist {

namespace json = boost::json;

namespace {

std::string Text(const json::object& body, const char* key) {
  const json::value* value = body.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

/// The package's config from a create or edit body: {repoType, repoUrl, credentials}.
Package ReadConfig(Call& call, const json::object& body) {
  Package package;
  package.repo_type = Text(body, "repoType").empty() ? "vcs" : Text(body, "repoType");
  package.repo_url = Text(body, "repoUrl");
  if (package.repo_url.empty()) throw Answered{Errors().Error(400, "repoUrl: This value should not be blank.")};
  if (const json::value* id = body.if_contains("credentials"); id && !id->is_null()) {
    if (!id->is_int64() || !call.state.model.credentials.count(id->as_int64()))
      throw Answered{Errors().Error(400, "credentials: Credential not found.")};
    package.credentials = id->as_int64();
  }
  return package;
}

/// A new job: it fails, with the seeded message, when the repository URL is in jobFailures.
Job& NewJob(State& state, const std::string& type, const std::string& repo_url) {
  Job job;
  job.id = "job-" + std::to_string(state.model.next_job++);
  job.type = type;
  if (auto failure = state.model.job_failures.find(repo_url); failure != state.model.job_failures.end()) {
    job.outcome = "error";
    job.message = failure->second;
  }
  return state.model.jobs[job.id] = job;
}

Package& FindPackage(Call& call) {
  auto it = call.state.model.packages.find(call.Param("vendor") + "/" + call.Param("name"));
  if (it == call.state.model.packages.end()) throw Answered{Errors().Error(404, "Package not found.")};
  return it->second;
}

Response List(Call& call) {
  json::array items;
  for (const auto& [name, package] : call.state.model.packages) items.push_back(PackageJson(package));
  return PagedResponse(call, items);
}

Response Create(Call& call) {
  Package package = ReadConfig(call, ObjectBody(call.request));
  package.name = PackageNameOf(package.repo_url);
  if (package.name.empty()) return Errors().Error(400, "repoUrl: no package name can be read from " + package.repo_url);
  if (call.state.model.packages.count(package.name) || call.state.model.FindPackageByUrl(package.repo_url))
    return Errors().Error(409, "A package with the name " + package.name + " already exists.");
  Job& job = NewJob(call.state, "package:add", package.repo_url);
  // A failed add makes nothing: the repository could not be read, so there is no package.
  if (job.outcome == "success") {
    job.package_name = package.name;
    call.state.model.packages[package.name] = package;
  }
  return JsonResponse(201, JobJson(job));
}

Response Edit(Call& call) {
  Package& package = FindPackage(call);
  Package config = ReadConfig(call, ObjectBody(call.request));
  Job& job = NewJob(call.state, "package:edit", config.repo_url);
  job.package_name = package.name;
  // A failed edit keeps what was there.
  if (job.outcome == "success") {
    package.repo_type = config.repo_type;
    package.repo_url = config.repo_url;
    package.credentials = config.credentials;
  }
  return JsonResponse(200, JobJson(job));
}

Response ShowJob(Call& call) {
  auto it = call.state.model.jobs.find(call.Param("id"));
  if (it == call.state.model.jobs.end()) return Errors().Error(404, "Job not found.");
  Job& job = it->second;
  json::object out = JobJson(job);
  const int poll = ++job.polls;
  if (poll <= call.state.settings.job_polls) {
    out["status"] = poll == 1 ? "queued" : "processing";
  } else {
    out["status"] = job.outcome;
    if (!job.message.empty()) out["message"] = job.message;
  }
  return JsonResponse(200, out);
}

}  // namespace

void RegisterPackageRoutes(Router& router) {
  router.Add("GET", "/api/packages", List);
  router.Add("POST", "/api/packages", Create);
  router.Add("GET", "/api/packages/{vendor}/{name}", [](Call& call) { return JsonResponse(200, PackageJson(FindPackage(call))); });
  router.Add("PUT", "/api/packages/{vendor}/{name}", Edit);
  router.Add("DELETE", "/api/packages/{vendor}/{name}", [](Call& call) {
    call.state.model.packages.erase(FindPackage(call).name);
    return EmptyResponse(204);
  });
  router.Add("GET", "/api/jobs/{id}", ShowJob);
  router.Add("GET", "/api/synchronizations", [](Call& call) { return PagedResponse(call, call.state.model.synchronizations); });
}

}  // namespace stashform::emulator::packagist
