#pragma once
// GitpodEmulator runs the built `stashform-emulator gitpod` binary on a free loopback port, as
// harness.h runs the Bitbucket one, and reaches its admin API; GitpodStory runs the Gitpod guide
// through the recipe from the user's side (the CLI, the state file, both emulators' admin APIs).

#include <gtest/gtest.h>

#include <boost/json/value.hpp>

#include <map>
#include <string>
#include <vector>

#include "tests/integration/harness.h"

#include "tests/integration/emulator_process.h"

namespace stashform::testing {

inline constexpr const char* kGitpodToken = "gitpod-pat-story-7c21e0";
inline constexpr const char* kGitpodOrganization = "0b6c1d9e-2f3a-4c5d-8e7f-901234abcdef";
inline constexpr const char* kGitpodUser = "5f0e1d2c-3b4a-4968-8776-655443322110";
inline constexpr const char* kProviderAddress = "module.gitpod.gitpod.auth_provider[\"corp\"]";
inline constexpr const char* kLinkAddress = "module.gitpod.bitbucket.oauth2_client[\"corp\"]";

/// User kGitpodUser with token kGitpodToken, member of organization kGitpodOrganization; the
/// host "down.example.com" fails the reachability check.
std::string GitpodSeed();

/// A running Gitpod emulator; stopped with SIGTERM (then SIGKILL) and reaped when the object goes.
class GitpodEmulator {
 public:
  explicit GitpodEmulator(const std::string& seed_json, const std::vector<std::string>& extra_args = {});
  GitpodEmulator(const GitpodEmulator&) = delete;
  GitpodEmulator& operator=(const GitpodEmulator&) = delete;

  const std::string& url() const { return process_.url(); }

  using Answer = EmulatorProcess::Answer;
  /// A call to the admin API (paths under /_emulator/).
  Answer Admin(const std::string& method, const std::string& path, const std::string& body = "") const {
    return process_.Admin(method, path, body);
  }
  /// Every auth provider as `GET /_emulator/dump` shows it (secrets in the clear).
  std::vector<boost::json::value> Providers() const;
  /// The request log's entries (`GET /_emulator/requests`).
  std::vector<boost::json::value> Requests() const;

 private:
  EmulatorProcess process_;
};

/// The guide: one call of the recipe `gitpod.wire` with the Bitbucket server and the Gitpod
/// account from the environment; `options` is the Lua table of its options.
std::string GitpodGuide(const std::string& options = "{ name = \"corp\" }");

class GitpodStory : public ::testing::Test {
 protected:
  explicit GitpodStory(const std::vector<std::string>& bitbucket_args = {},
                       const std::vector<std::string>& gitpod_args = {});
  ~GitpodStory() override;

  /// Runs the CLI in the work folder; everything it prints is kept for the secret checks.
  CliRun Stashform(std::vector<std::string> args);

  /// The OAuth 2 links Bitbucket holds (its dump's oauth2Clients).
  std::vector<boost::json::value> Links() const;
  /// Exactly one link and one provider, and the provider holds the link's client id and secret.
  void ExpectWired();

  Emulator bitbucket;
  GitpodEmulator gitpod;
  TempDir work;
  std::map<std::string, std::string> env;
  std::string transcript;
};

}  // namespace stashform::testing
