// The admin API under /_emulator/: no signature, no faults, not in the request log. Tests and the
// example's README use it to reset, inspect and change state out of band (docs/emulator.md).

#include "emulators/common/admin.h"
#include "emulators/packagist/app.h"

#include <openssl/evp.h>

namespace stashform::emulator::packagist {

namespace json = boost::json;

namespace {

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) out += {kHex[digest[i] >> 4], kHex[digest[i] & 0xf]};
  return out;
}

json::object SettingsJson(const Settings& settings) {
  return {{"pageSize", settings.page_size}, {"jobPolls", settings.job_polls},
          {"timestampWindow", settings.timestamp_window}, {"requestLogCapacity", settings.request_log_capacity}};
}

Response Dump(Call& call) {
  const Model& model = call.state.model;
  json::array credentials, packages, jobs;
  for (const auto& [id, credential] : model.credentials) {
    json::object item = CredentialJson(credential);
    // The secret never leaves through the admin API; its digest lets tests see a rotation.
    item.erase("credential");
    item["credentialSha256"] = Sha256Hex(credential.secret);
    credentials.push_back(item);
  }
  for (const auto& [name, package] : model.packages) packages.push_back(PackageJson(package));
  for (const auto& [id, job] : model.jobs) {
    json::object item = JobJson(job);
    item["outcome"] = job.outcome;
    item["polls"] = job.polls;
    jobs.push_back(item);
  }
  json::object failures;
  for (const auto& [url, message] : model.job_failures) failures[url] = message;
  return JsonResponse(200, json::object{{"credentials", credentials}, {"packages", packages}, {"jobs", jobs},
                                        {"synchronizations", model.synchronizations}, {"jobFailures", failures}});
}

/// As editing the credential in the UI does: any of type, username, domain, credential.
Response PatchCredential(Call& call) {
  std::int64_t id = 0;
  try {
    id = std::stoll(call.Param("id"));
  } catch (const std::exception&) {
    return Errors().Error(404, "no credential " + call.Param("id"));
  }
  auto it = call.state.model.credentials.find(id);
  if (it == call.state.model.credentials.end()) return Errors().Error(404, "no credential " + call.Param("id"));
  for (const auto& [key, value] : ObjectBody(call.request)) {
    if (!value.is_string()) return Errors().Error(400, std::string(key) + " must be a string");
    std::string text(value.as_string());
    if (key == "type") it->second.type = text;
    else if (key == "username") it->second.username = text;
    else if (key == "domain") it->second.domain = text;
    else if (key == "credential") it->second.secret = text;
    else return Errors().Error(400, "only type, username, domain and credential can be changed here, not " + std::string(key));
  }
  json::object out = CredentialJson(it->second);
  out.erase("credential");
  return JsonResponse(200, out);
}

Response DeletePackage(Call& call) {
  const std::string name = call.Param("vendor") + "/" + call.Param("name");
  if (!call.state.model.packages.erase(name)) return Errors().Error(404, "no package " + name);
  return EmptyResponse(204);
}

Response ReplaceJobFailures(Call& call) {
  std::map<std::string, std::string> failures;
  for (const auto& [url, message] : ObjectBody(call.request)) {
    if (!message.is_string()) return Errors().Error(400, "expected {\"<repository URL>\": \"<message>\", …}");
    failures[std::string(url)] = std::string(message.as_string());
  }
  call.state.model.job_failures = std::move(failures);
  return EmptyResponse(204);
}

/// What saving the Bitbucket integration and a synchronization in the UI makes (no API exists).
Response AddSynchronization(Call& call) {
  json::object sync = ObjectBody(call.request);
  sync["id"] = call.state.model.next_synchronization_id++;
  call.state.model.synchronizations.push_back(sync);
  return JsonResponse(201, sync);
}

Response PatchSettings(Call& call) {
  Settings& settings = call.state.settings;
  for (const auto& [key, value] : ObjectBody(call.request)) {
    if (!value.is_int64() || value.as_int64() < 0) return Errors().Error(400, std::string(key) + " must be a number >= 0");
    if (key == "pageSize") settings.page_size = static_cast<std::size_t>(std::max<std::int64_t>(1, value.as_int64()));
    else if (key == "jobPolls") settings.job_polls = static_cast<int>(value.as_int64());
    else if (key == "timestampWindow") settings.timestamp_window = value.as_int64();
    else return Errors().Error(400, "unknown setting " + std::string(key));
  }
  return JsonResponse(200, SettingsJson(settings));
}

json::object RequestJson(const LoggedRequest& entry) {
  json::object json = LoggedRequestJson(entry);
  json["caller"] = entry.caller;
  json["signature"] = entry.signature;
  json["error"] = entry.error;
  json["dropped"] = entry.dropped;
  return json;
}

}  // namespace

void RegisterAdminRoutes(Router& router) {
  router.Add("POST", "/_emulator/reset", [](Call& call) {
    LoadSeed(call.state, call.state.seed);
    call.state.request_log.Clear();
    call.state.faults.RestartCounters();
    return EmptyResponse(204);
  });
  router.Add("GET", "/_emulator/dump", Dump);
  AddRequestLogRoutes(router, [](Call& call) -> BoundedLog<LoggedRequest>& { return call.state.request_log; }, RequestJson);
  AddFaultRoutes(router, [](Call& call) -> Faults& { return call.state.faults; }, Errors());
  router.Add("GET", "/_emulator/settings", [](Call& call) { return JsonResponse(200, SettingsJson(call.state.settings)); });
  router.Add("PATCH", "/_emulator/settings", PatchSettings);
  router.Add("PATCH", "/_emulator/credentials/{id}", PatchCredential);
  router.Add("DELETE", "/_emulator/packages/{vendor}/{name}", DeletePackage);
  router.Add("PUT", "/_emulator/job-failures", ReplaceJobFailures);
  router.Add("POST", "/_emulator/synchronizations", AddSynchronization);
}

}  // namespace stashform::emulator::packagist
