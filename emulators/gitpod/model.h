#pragma once
// The Gitpod emulator's world: users with their personal access tokens, organizations and their
// members, hosts the reachability check fails for, and auth providers as the server keeps them
// (secrets in the clear; every answer redacts them). Everything here sits behind the App's lock.

#include "emulators/common/faults.h"
#include "emulators/common/request_log.h"

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace stashform::emulator::gitpod {

struct Settings {
  std::size_t request_log_capacity = 10000;
};

struct User {
  std::string id;  // a UUID
  std::string name;
  std::string token;  // the personal access token it calls the API with
};

struct Organization {
  std::string id;  // a UUID
  std::string name;
  std::set<std::string> members;  // user ids; a member may manage the organization's providers
};

/// AuthProvider as Gitpod's AuthProviderEntry holds it (platforms.md §2.1).
struct AuthProvider {
  std::string id;
  std::string organization_id;  // set for an organization's provider
  std::string owner_id;         // the creating user; the owner of a user's provider
  std::string type;             // AUTH_PROVIDER_TYPE_* name
  std::string host;             // bare, lower case
  std::string client_id;
  std::string client_secret;
  std::string authorization_url;
  std::string token_url;
  bool verified = false;       // "pending" until an owner finishes the OAuth flow
  std::string oauth_revision;  // changes on every OAuth change
};

struct Model {
  std::vector<User> users;
  std::vector<Organization> organizations;
  std::set<std::string> unreachable_hosts;
  std::vector<AuthProvider> providers;  // in creation order

  const User* UserOfToken(const std::string& token) const;
  const Organization* FindOrganization(const std::string& id) const;
  AuthProvider* FindProvider(const std::string& id);
};

/// The request log: the common fields and the procedure and Connect code of the answer.
struct LoggedRequest : emulator::LoggedRequest {
  std::string procedure;  // "CreateAuthProvider", …; "" when the path named none
  std::string code;       // Connect error code, "" on success
  std::string error;      // the error's message, if any
};

struct State {
  boost::json::value seed;
  Model model;
  Settings settings;
  Faults faults;
  BoundedLog<LoggedRequest> request_log;
  std::string base_url;  // http://127.0.0.1:PORT: the dashboard's URL in settingsUrl
  std::mt19937_64 random{std::random_device{}()};

  std::string NewUuid();
  std::string RandomHex(std::size_t bytes);
};

std::int64_t NowMillis();
bool IsUuid(const std::string& text);

/// The AuthProvider message as the API answers it (proto3 JSON: defaults left out, the secret
/// "redacted"); `reveal` gives the dump's form, with the secret, verified and oauthRevision.
boost::json::object ProviderJson(const AuthProvider& provider, const State& state, bool reveal = false);

/// Replaces the model with the seed's users, organizations, unreachable hosts and providers;
/// throws std::runtime_error naming what is malformed.
void LoadSeed(State& state, const boost::json::value& seed);

}  // namespace stashform::emulator::gitpod
