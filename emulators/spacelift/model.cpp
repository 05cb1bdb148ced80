#include "emulators/spacelift/model.h"

#include <cctype>
#include <chrono>
#include <stdexcept>

namespace stashform::emulator::spacelift {

namespace json = boost::json;

namespace {

// Every field of the StackRead selection (spacelift-graphql.md §4.1) with the example's defaults.
const char* const kStackDefaults = R"({
  "id": "", "administrative": false,
  "afterApply": [], "afterDestroy": [], "afterInit": [], "afterPerform": [], "afterPlan": [], "afterRun": [],
  "autodeploy": false, "autoretry": false,
  "beforeApply": [], "beforeDestroy": [], "beforeInit": [], "beforePerform": [], "beforePlan": [],
  "branch": "main", "deleting": false, "description": null, "isDisabled": false, "githubActionDeploy": true,
  "integrations": {
    "aws": {"assumedRoleArn": null, "assumeRolePolicyStatement": "{}", "externalID": null,
            "generateCredentialsInWorker": false, "durationSeconds": null, "region": null},
    "driftDetection": {"ignoreState": false, "reconcile": false, "schedule": [], "timezone": ""},
    "gcp": {"serviceAccountEmail": null, "tokenScopes": []},
    "webhooks": []
  },
  "labels": [], "localPreviewEnabled": false, "enableWellKnownSecretMasking": false,
  "enableSensitiveOutputUpload": true, "managesStateFile": true, "name": "", "namespace": null,
  "projectRoot": null, "additionalProjectGlobs": [], "gitSparseCheckoutPaths": [], "protectFromDeletion": false,
  "provider": "BITBUCKET_DATACENTER", "repository": "", "repositoryURL": null, "runnerImage": null,
  "space": "root",
  "spaceDetails": {"id": "root", "description": "", "name": "root", "inheritEntities": false,
                   "parentSpace": null, "labels": []},
  "terraformVersion": "1.5.7", "vcsIntegration": null,
  "vendorConfig": {"__typename": "StackConfigVendorTerraform", "useSmartSanitization": false,
                   "version": "1.5.7", "workflowTool": "TERRAFORM_FOSS", "workspace": null,
                   "externalStateAccessEnabled": false},
  "workerPool": null
})";

std::string Text(const json::object& object, const char* key, const std::string& fallback = "") {
  auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : fallback;
}

}  // namespace

json::object SettingsToJson(const Settings& settings) {
  return {{"account", settings.account},
          {"notFoundAsError", settings.not_found_as_error},
          {"jwtTtlSeconds", settings.jwt_ttl_seconds},
          {"requestLogCapacity", settings.request_log_capacity}};
}

void ApplySettingsJson(Settings& settings, const json::object& json) {
  for (const auto& [key, value] : json) {
    if (key == "account" && value.is_string()) settings.account = std::string(value.as_string());
    else if (key == "notFoundAsError" && value.is_bool()) settings.not_found_as_error = value.as_bool();
    else if (key == "jwtTtlSeconds" && value.is_int64()) settings.jwt_ttl_seconds = value.as_int64();
    else if (key == "requestLogCapacity" && value.is_int64() && value.as_int64() > 0)
      settings.request_log_capacity = static_cast<std::size_t>(value.as_int64());
    else throw std::runtime_error("unknown or malformed setting \"" + std::string(key) + "\"");
  }
}

const ApiKey* Model::FindApiKey(const std::string& id) const {
  for (const auto& key : api_keys)
    if (key.id == id) return &key;
  return nullptr;
}

Integration* Model::FindIntegration(const std::string& id) {
  for (auto& integration : integrations)
    if (integration.id == id) return &integration;
  return nullptr;
}

Integration* Model::DefaultIntegration() {
  for (auto& integration : integrations) {
    auto* is_default = integration.fields.if_contains("isDefault");
    if (is_default && is_default->is_bool() && is_default->as_bool()) return &integration;
  }
  return nullptr;
}

std::optional<json::object> Model::DeleteIntegration(const std::string& id) {
  for (auto it = integrations.begin(); it != integrations.end(); ++it) {
    if (it->id != id) continue;
    json::object deleted = it->fields;
    integrations.erase(it);
    // Spacelift lets the delete happen and leaves the stacks detached (platforms.md §1.4).
    for (auto& [stack_id, stack] : stacks) {
      auto* bound = stack.if_contains("vcsIntegration");
      if (bound && bound->is_object() && Text(bound->as_object(), "id") == id) stack["vcsIntegration"] = nullptr;
    }
    return deleted;
  }
  return std::nullopt;
}

std::string Slugify(const std::string& name) {
  std::string slug;
  bool dash = false;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      if (dash && !slug.empty()) slug += '-';
      slug += static_cast<char>(std::tolower(c));
      dash = false;
    } else {
      dash = true;
    }
  }
  return slug;
}

json::object StackFromSeed(const json::object& seed, Model& model) {
  json::object stack = json::parse(kStackDefaults).as_object();
  std::string id = Text(seed, "id", Slugify(Text(seed, "name")));
  if (id.empty()) throw std::runtime_error("seed: a stack needs an id or a name");
  stack["id"] = id;
  stack["name"] = Text(seed, "name", id);
  for (const auto& [key, value] : seed) {
    if (key == "id" || key == "name") continue;
    if (key == "vcsIntegration") {
      if (value.is_string()) {
        Integration* integration = model.FindIntegration(std::string(value.as_string()));
        if (!integration) throw std::runtime_error("seed: stack " + id + " names an unknown integration");
        stack["vcsIntegration"] = json::object{{"id", value}, {"isDefault", integration->fields.at("isDefault")}};
      } else {
        stack["vcsIntegration"] = value;
      }
      continue;
    }
    if (!stack.contains(key)) throw std::runtime_error("seed: stack " + id + ": unknown field \"" + std::string(key) + "\"");
    stack[key] = value;
  }
  return stack;
}

void State::Log(LoggedRequest entry) { request_log.Append(std::move(entry), settings.request_log_capacity); }

std::string State::RandomHex(std::size_t bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    auto byte = static_cast<unsigned>(random() & 0xff);
    out += kHex[byte >> 4];
    out += kHex[byte & 0xf];
  }
  return out;
}

std::int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace stashform::emulator::spacelift
