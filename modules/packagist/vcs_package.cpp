#include "modules/packagist/vcs_package.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cstdlib>

#include "modules/packagist/common.h"

namespace stashform::packagist {

namespace json = boost::json;
using provider::ApplyAction;
using provider::ApplyRequest;
using provider::ApplyResponse;
using provider::ImportResponse;
using provider::ReadRequest;
using provider::ReadResponse;

namespace {

const char kPackagesPath[] = "/packages/";

std::string PackagePath(const std::string& name) { return std::string(kPackagesPath) + PathSegment(name) + "/"; }

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "packagist.vcs_package";
  s.server_type = "packagist.account";
  s.description = "A package Private Packagist builds from a VCS repository (a Bitbucket repository, say).";
  s.natural_key = {"repo_url"};
  auto repo_url = MakeAttribute("repo_url", AttrType::kString, AttrMode::kRequired,
                                "Clone URL of the repository, e.g. https://bitbucket.example.com/scm/infra/api.git.");
  repo_url.check = CheckHttpUrl;
  auto repo_type = MakeAttribute("repo_type", AttrType::kString, AttrMode::kOptional, "Repository type.");
  repo_type.allowed = {"vcs", "git", "hg", "svn", "bitbucket", "github", "gitlab"};
  repo_type.default_value = Value("vcs");
  auto credential = MakeAttribute("credential", AttrType::kString, AttrMode::kOptional,
                                  "Id of the packagist.credential Packagist reads the repository with; \"\" for none.");
  credential.default_value = Value("");
  s.attributes = {repo_url, repo_type, credential,
                  MakeAttribute("name", AttrType::kString, AttrMode::kComputed,
                                "The package name (from the repository's composer.json); the id.")};
  return s;
}

/// The credential id as the API takes it: a number, or null for none.
json::value CredentialsField(const Value::Map& planned) {
  std::string id = StringField(planned, "credential");
  if (id.empty()) return nullptr;
  char* end = nullptr;
  long long number = std::strtoll(id.c_str(), &end, 10);
  return end && *end == '\0' ? json::value(number) : json::value(id);
}

json::value PackageBody(const Value::Map& planned) {
  std::string type = StringField(planned, "repo_type");
  return json::object{{"repoType", type.empty() ? "vcs" : type},
                      {"repoUrl", StringField(planned, "repo_url")},
                      {"credentials", CredentialsField(planned)}};
}

Value::Map PackageFromJson(const json::value& answer) {
  std::string type = JsonText(answer, "repoType");
  return {{"name", Value(JsonText(answer, "name"))},
          {"repo_url", Value(JsonText(answer, "repoUrl"))},
          {"repo_type", Value(type.empty() ? "vcs" : type)},
          {"credential", Value(JsonId(answer, "credentials"))}};
}

/// The job id of a create or edit answer: {"id": …} (a list of one job is taken as well).
std::string JobIdOf(const json::value& answer) {
  if (answer.is_array() && !answer.as_array().empty()) return JobIdOf(answer.as_array().front());
  return JsonId(answer);
}

}  // namespace

const ResourceSchema& VcsPackageSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

ReadResponse VcsPackageType::Read(const ReadRequest& request) {
  auto answer = api_.Call("GET", PackagePath(request.id));
  if (!answer.ok()) return GoneOrFailedRead(answer.status());
  if (!answer->body.is_object()) return FailedRead("packagist: GET " + PackagePath(request.id) + ": answer is not a package");
  ReadResponse response;
  response.attributes = PackageFromJson(answer->body);
  return response;
}

ApplyResponse VcsPackageType::Apply(const ApplyRequest& request) {
  switch (request.action) {
    case ApplyAction::kCreate: return Create(request);
    case ApplyAction::kUpdate: return Update(request);
    case ApplyAction::kDelete: return DeleteAnswer(api_.Call("DELETE", PackagePath(request.id)).status(), request.id);
  }
  return {};
}

ApplyResponse VcsPackageType::AfterJob(const Result<json::value>& job, const std::string& repo_url) {
  std::string name = job.ok() ? JsonText(*job, "packageName") : "";
  ImportResponse found = name.empty() ? Find({{"repo_url", Value(repo_url)}}) : Import(name);
  ApplyResponse response;
  if (found.found) {
    response.id = found.id;
    response.attributes = std::move(found.attributes);
  }
  // A failed job leaves what it leaves: the answer records the package only when it exists.
  if (!job.ok()) {
    response.diagnostics.Error({}, "", job.message());
  } else if (found.diagnostics.HasErrors()) {
    response.diagnostics.Append(found.diagnostics);
  } else if (!found.found) {
    response.diagnostics.Error({}, "", "packagist: the job succeeded but no package has repository URL " + repo_url);
  }
  return response;
}

ApplyResponse VcsPackageType::Create(const ApplyRequest& request) {
  const std::string repo_url = StringField(request.planned, "repo_url");
  json::value body = PackageBody(request.planned);
  // Never retried blindly: a lost answer may hide a package that exists (Find adopts it).
  auto answer = api_.Call("POST", kPackagesPath, &body, /*retry_safe=*/false);
  if (!answer.ok()) return FailedCreate(answer.status());
  std::string job_id = JobIdOf(answer->body);
  if (job_id.empty()) return AfterJob(Status::Error("packagist: POST /api/packages/: the answer names no job"), repo_url);
  return AfterJob(api_.WaitForJob(job_id, "adding package " + repo_url), repo_url);
}

ApplyResponse VcsPackageType::Update(const ApplyRequest& request) {
  const std::string repo_url = StringField(request.planned, "repo_url");
  json::value body = PackageBody(request.planned);
  auto answer = api_.Call("PUT", PackagePath(request.id), &body);
  if (!answer.ok()) return FailedApply(answer.message());
  std::string job_id = JobIdOf(answer->body);
  if (job_id.empty()) return AfterJob(Status::Error("packagist: PUT " + PackagePath(request.id) + ": the answer names no job"), repo_url);
  auto job = api_.WaitForJob(job_id, "editing package " + request.id);
  // After an edit the package keeps its name; read it by name so that a failed edit shows what stayed.
  ApplyResponse response;
  ImportResponse now = Import(request.id);
  response.id = request.id;
  if (now.found) response.attributes = std::move(now.attributes);
  else response.attributes = request.prior;
  if (!job.ok()) response.diagnostics.Error({}, "", job.message());
  return response;
}

ImportResponse VcsPackageType::Find(const Value::Map& natural_key) {
  auto listing = api_.ListAll(kPackagesPath);
  if (!listing.ok()) return FailedImport(listing.message());
  const std::string key = StringField(natural_key, "repo_url");
  for (const auto& item : *listing)
    if (item.is_object() && (JsonText(item, "repoUrl") == key || JsonText(item, "name") == key))
      return FoundResponse(JsonText(item, "name"), PackageFromJson(item));
  return {};
}

ImportResponse VcsPackageType::Import(const std::string& id) {
  if (id.find("://") != std::string::npos) return Find({{"repo_url", Value(id)}});
  auto answer = api_.Call("GET", PackagePath(id));
  if (!answer.ok()) return answer.status().IsNotFound() ? ImportResponse{} : FailedImport(answer.message());
  return FoundResponse(JsonText(answer->body, "name"), PackageFromJson(answer->body));
}

}  // namespace stashform::packagist
