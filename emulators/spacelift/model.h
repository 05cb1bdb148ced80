#pragma once
// The Spacelift emulator's world: API keys, Bitbucket Data Center integrations and stacks, kept
// as the JSON objects the API answers with (projection picks the selected fields), plus the
// request log and fault configuration. Everything here sits behind the App's one lock.

#include "emulators/common/faults.h"
#include "emulators/common/request_log.h"

#include <boost/json.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace stashform::emulator::spacelift {

/// Settings are switches for behaviour the reference leaves INFERRED, plus limits.
struct Settings {
  std::string account = "emulator";  // appears in webhook URLs
  bool not_found_as_error = false;   // null (false) or null + errors[0].message "not found" (true)
  std::int64_t jwt_ttl_seconds = 3600;
  std::size_t request_log_capacity = 10000;
};

boost::json::object SettingsToJson(const Settings& settings);
/// Applies the fields present; throws std::runtime_error on a bad value.
void ApplySettingsJson(Settings& settings, const boost::json::object& json);

struct ApiKey {
  std::string id;
  std::string secret;
  std::string name;
};

/// Integration is the answer object (every selectable field) and the token, which is never answered.
struct Integration {
  std::string id;
  boost::json::object fields;
  std::string access_token;
};

struct Model {
  std::vector<ApiKey> api_keys;
  std::vector<Integration> integrations;  // in creation order
  std::map<std::string, boost::json::object> stacks;  // by id, each a full Stack answer object

  const ApiKey* FindApiKey(const std::string& id) const;
  Integration* FindIntegration(const std::string& id);
  Integration* DefaultIntegration();
  /// Deletes the integration and nulls vcsIntegration on every stack bound to it; returns the
  /// deleted object's fields, or nullopt when there is none with that id.
  std::optional<boost::json::object> DeleteIntegration(const std::string& id);
};

/// A stack answer object with every field of the StackRead selection, defaults first, then the
/// seed's keys over them; `vcsIntegration` given as an id string in the seed.
boost::json::object StackFromSeed(const boost::json::object& seed, Model& model);

/// The id Spacelift derives from a name: lower case, runs of other characters become one dash.
std::string Slugify(const std::string& name);

/// LoggedRequest: the common fields (caller is the API key id, "" for login) and GraphQL's own.
struct LoggedRequest : emulator::LoggedRequest {
  std::string kind;       // query | mutation
  std::string fields;     // root fields, comma-separated
  std::string operation;  // the Spacelift-GraphQL-Query/-Mutation header, if any
  std::string id;         // the `id` variable, or customInput.id, when present
  std::string vcs_integration_id;  // stackUpdate's input.vcsIntegrationId, when present
  std::string error;  // the first GraphQL error of the answer (a rejected document, an unknown field), if any
};

struct State {
  boost::json::value seed;
  Model model;
  Settings settings;
  Faults faults;
  BoundedLog<LoggedRequest> request_log;
  /// Bitbucket webhook deliveries received at integrations' webhook URLs, signature checked.
  std::deque<boost::json::object> deliveries;
  /// Runs queued by runTrigger or by a signed push to a bound stack's repository.
  std::vector<boost::json::object> runs;
  std::uint64_t token_generation = 1;  // bumped by /_emulator/revoke-tokens: older JWTs fail
  std::string base_url;                // http://127.0.0.1:PORT, the JWT audience
  std::string signing_key;             // HMAC key of this run's JWTs
  std::mt19937_64 random{std::random_device{}()};

  void Log(LoggedRequest entry);
  std::string RandomHex(std::size_t bytes);
};

std::int64_t NowMillis();

/// Replaces the model with the seed's API keys, integrations and stacks (seed.cpp); throws
/// std::runtime_error when the seed is malformed.
void LoadSeed(State& state, const boost::json::value& seed);

}  // namespace stashform::emulator::spacelift
