#pragma once
// SpaceliftStory: the Spacelift guide through the recipe, run from the user's side (the CLI, the
// state file, the emulators' admin APIs) against the Bitbucket and Spacelift emulators. Each
// story damages what an apply made, plans, repairs with one apply, and checks the result.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/integration/spacelift_harness.h"

namespace stashform::testing {

inline constexpr const char* kStoryApiKeySecret = "stashform-secret";
inline constexpr const char* kStoryBitbucketToken = "story-bitbucket-token-51e9";
inline constexpr const char* kIntegrationAddress =
    "module.spacelift.spacelift.bitbucket_datacenter_integration[\"corp-bitbucket\"]";

/// The guide; the integration's name and is_default are variables (STASHFORM_VAR_*), the token
/// comes from the environment. `extra` is Lua appended at the end.
std::string StoryGuide(const std::string& extra = "");

class SpaceliftStory : public ::testing::Test {
 protected:
  explicit SpaceliftStory(const std::vector<std::string>& bitbucket_args = {},
                          const std::vector<std::string>& spacelift_args = {});
  ~SpaceliftStory() override;

  /// Runs the CLI in the work folder; everything it prints is kept for the secret check.
  CliRun Stashform(std::vector<std::string> args);

  /// The damage is repaired: every stack is bound to `integration`, every webhook signs with its
  /// secret and posts to its URL, and a second `plan -detailed-exitcode` exits 0.
  void ExpectRepaired(const std::string& integration);
  /// Every stack is bound to `integration` and every webhook signs with its secret.
  void ExpectWired(const std::string& integration);

  std::string Secret(const std::string& integration) const;

  Emulator bitbucket;
  SpaceliftEmulator spacelift;
  TempDir work;
  std::map<std::string, std::string> env;
  std::string transcript;  // every byte the CLI printed, searched for secrets at the end
};

}  // namespace stashform::testing
