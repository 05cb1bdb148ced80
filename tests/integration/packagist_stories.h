#pragma once
// PackagistStory: Private Packagist's Bitbucket Server guides through the recipe, run from the
// user's side (the CLI, the state file, the emulators' admin APIs) against the Bitbucket and
// Packagist emulators.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/integration/packagist_harness.h"

namespace stashform::testing {

/// The servers and the recipe's import; `body` is Lua after `local pp = import "packagist"`.
std::string PackagistConfig(const std::string& body);
/// The OAuth 2 guide with every INFRA repository as a package.
std::string PackagistOAuth2Guide();
/// The OAuth 1 guide: the certificate comes from certificate.lua in the config folder.
std::string PackagistOAuth1Guide(const std::string& extra_options = "");
/// certificate.lua returning `pem`.
std::string CertificateModule(const std::string& pem);

class PackagistStory : public ::testing::Test {
 protected:
  explicit PackagistStory(const std::vector<std::string>& bitbucket_args = {},
                          const std::vector<std::string>& packagist_args = {});
  ~PackagistStory() override;

  /// Runs the CLI in the work folder; everything it prints is kept for the secret check.
  CliRun Stashform(std::vector<std::string> args);
  /// The repository URL of INFRA/<slug> on the Bitbucket emulator.
  std::string CloneUrl(const std::string& slug) const;
  /// The packages and credentials as the Packagist emulator's dump shows them.
  boost::json::array Packages() const;
  boost::json::array Credentials() const;

  Emulator bitbucket;
  PackagistEmulator packagist;
  TempDir work;
  std::map<std::string, std::string> env;
  std::string transcript;  // every byte the CLI printed, searched for secrets at the end
};

}  // namespace stashform::testing
