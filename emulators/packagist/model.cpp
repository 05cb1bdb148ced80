#include "emulators/packagist/model.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>

namespace stashform::emulator::packagist {

namespace json = boost::json;

namespace {

std::string Text(const json::object& object, const char* key, const std::string& fallback = "") {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : fallback;
}

const json::array& ArrayOf(const json::object& seed, const char* key) {
  static const json::array kEmpty;
  const json::value* value = seed.if_contains(key);
  if (!value) return kEmpty;
  if (!value->is_array()) throw std::runtime_error(std::string("seed: \"") + key + "\" must be a list");
  return value->as_array();
}

}  // namespace

std::int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void State::Log(LoggedRequest entry) { request_log.Append(std::move(entry), settings.request_log_capacity); }

const Package* Model::FindPackageByUrl(const std::string& repo_url) const {
  for (const auto& [name, package] : packages)
    if (package.repo_url == repo_url) return &package;
  return nullptr;
}

std::string PackageNameOf(const std::string& repo_url) {
  std::string path = repo_url.substr(repo_url.find("://") == std::string::npos ? 0 : repo_url.find("://") + 3);
  path = path.substr(path.find('/') == std::string::npos ? path.size() : path.find('/'));
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".git") == 0) path.resize(path.size() - 4);
  auto last = path.rfind('/');
  if (last == std::string::npos || last == 0) return "";
  auto before = path.rfind('/', last - 1);
  std::string name = path.substr(before == std::string::npos ? 0 : before + 1);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

json::object CredentialJson(const Credential& credential) {
  // The API echoes the secret (the client's test fixture shows it): clients must not print it.
  return {{"id", credential.id},           {"description", credential.description}, {"type", credential.type},
          {"domain", credential.domain},   {"username", credential.username},       {"credential", credential.secret}};
}

json::object PackageJson(const Package& package) {
  json::object out{{"name", package.name}, {"origin", "private"}, {"repoType", package.repo_type},
                   {"repoUrl", package.repo_url}};
  out["credentials"] = package.credentials ? json::value(*package.credentials) : json::value(nullptr);
  return out;
}

json::object JobJson(const Job& job) {
  return {{"id", job.id}, {"type", job.type}, {"packageName", job.package_name}, {"status", "queued"}};
}

void LoadSeed(State& state, const json::value& seed) {
  if (!seed.is_object()) throw std::runtime_error("seed: must be a JSON object");
  const json::object& root = seed.as_object();
  Model model;
  for (const auto& key : ArrayOf(root, "apiKeys")) {
    if (!key.is_object()) throw std::runtime_error("seed: apiKeys[] must be objects {key, secret}");
    model.api_keys[Text(key.as_object(), "key")] = Text(key.as_object(), "secret");
  }
  for (const auto& item : ArrayOf(root, "credentials")) {
    const json::object& c = item.as_object();
    Credential credential{model.next_credential_id++, Text(c, "description"), Text(c, "type", "http-basic"),
                          Text(c, "domain"), Text(c, "username"), Text(c, "credential")};
    model.credentials[credential.id] = credential;
  }
  for (const auto& item : ArrayOf(root, "packages")) {
    const json::object& p = item.as_object();
    Package package{PackageNameOf(Text(p, "repoUrl")), Text(p, "repoType", "vcs"), Text(p, "repoUrl"), std::nullopt};
    if (const json::value* id = p.if_contains("credentials"); id && id->is_int64()) package.credentials = id->as_int64();
    if (package.name.empty()) throw std::runtime_error("seed: packages[].repoUrl must end in <vendor>/<name>");
    model.packages[package.name] = package;
  }
  for (const auto& item : ArrayOf(root, "synchronizations")) {
    json::object sync = item.as_object();
    sync["id"] = model.next_synchronization_id++;
    model.synchronizations.push_back(sync);
  }
  if (const json::value* failures = root.if_contains("jobFailures"); failures && failures->is_object())
    for (const auto& [url, message] : failures->as_object())
      model.job_failures[std::string(url)] = message.is_string() ? std::string(message.as_string()) : "job failed";
  if (const json::value* settings = root.if_contains("settings"); settings && settings->is_object()) {
    if (const json::value* size = settings->as_object().if_contains("pageSize"); size && size->is_int64())
      state.settings.page_size = static_cast<std::size_t>(std::max<std::int64_t>(1, size->as_int64()));
    if (const json::value* polls = settings->as_object().if_contains("jobPolls"); polls && polls->is_int64())
      state.settings.job_polls = static_cast<int>(polls->as_int64());
  }
  state.model = std::move(model);
  state.cnonces.clear();
}

}  // namespace stashform::emulator::packagist
