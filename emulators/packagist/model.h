#pragma once
// The Private Packagist emulator's world: API keys, credentials, VCS packages, the jobs package
// changes answer with, synchronizations, the cnonces seen, the request log and the faults.
// Everything here sits behind the App's one lock.

#include "emulators/common/faults.h"
#include "emulators/common/request_log.h"

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace stashform::emulator::packagist {

/// Settings are limits and switches a test may turn.
struct Settings {
  std::size_t page_size = 100;        // items per page of a list endpoint
  int job_polls = 2;                  // polls a job answers "queued"/"processing" before its outcome
  std::int64_t timestamp_window = 15;  // seconds a signature's timestamp may be off (api-authentication.md)
  std::size_t request_log_capacity = 10000;
};

struct Credential {
  std::int64_t id = 0;
  std::string description, type, domain, username, secret;
};

struct Package {
  std::string name;  // vendor/name
  std::string repo_type = "vcs";
  std::string repo_url;
  std::optional<std::int64_t> credentials;
};

/// A job answers queued, then processing, then its outcome after Settings::job_polls polls.
struct Job {
  std::string id;
  std::string type;           // "package:add", "package:edit"
  std::string package_name;   // "" when the package could not be made
  std::string outcome = "success";  // success | error
  std::string message;
  int polls = 0;
};

struct Model {
  std::map<std::string, std::string> api_keys;  // key → secret
  std::map<std::int64_t, Credential> credentials;
  std::map<std::string, Package> packages;  // by name
  std::map<std::string, Job> jobs;
  boost::json::array synchronizations;
  std::map<std::string, std::string> job_failures;  // repository URL → the message its jobs fail with
  std::int64_t next_credential_id = 1;
  std::int64_t next_job = 1;
  std::int64_t next_synchronization_id = 1;

  const Package* FindPackageByUrl(const std::string& repo_url) const;
};

/// LoggedRequest: the common fields (caller is the API key) and the signature check's verdict.
struct LoggedRequest : emulator::LoggedRequest {
  std::string signature;  // "valid", or why it was refused
  std::string error;      // the answer's message when it failed
};

struct State {
  boost::json::value seed;
  Model model;
  Settings settings;
  Faults faults;
  BoundedLog<LoggedRequest> request_log;
  std::map<std::string, std::int64_t> cnonces;  // cnonce → its timestamp, kept while in the window
  std::string base_url;                          // http://127.0.0.1:PORT, for Link headers
  std::mt19937_64 random{std::random_device{}()};

  void Log(LoggedRequest entry);
};

std::int64_t NowMillis();

/// Replaces the model with the seed's (seed.cpp); throws std::runtime_error when it is malformed.
/// Seed: {apiKeys:[{key,secret}], credentials:[…], packages:[{repoUrl, credentials?}],
/// synchronizations:[{name, isPrimary, integration:{name,target,url}, credentials}],
/// jobFailures:{repoUrl: message}, settings:{pageSize, jobPolls}}.
void LoadSeed(State& state, const boost::json::value& seed);

/// The name Packagist would read from the repository's composer.json; the emulator takes the last
/// two path segments of the URL, lower case, without ".git": …/scm/infra/api.git → infra/api.
std::string PackageNameOf(const std::string& repo_url);

boost::json::object CredentialJson(const Credential& credential);
boost::json::object PackageJson(const Package& package);
boost::json::object JobJson(const Job& job);

}  // namespace stashform::emulator::packagist
