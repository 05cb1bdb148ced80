#pragma once
// The GoogleTest fixture the webhook end-to-end stories share. It lives apart from harness.h
// because the benchmarks link the harness without GoogleTest.

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/harness.h"

namespace stashform::testing {

/// A webhook config in a scratch folder and the real stashform run on it against a Bitbucket
/// emulator seeded with INFRA/tf-network and INFRA/tf-dns; every run's output is kept in
/// `transcript` for the secret scan.
class WebhookConfigTest : public ::testing::Test {
 protected:
  WebhookConfigTest(const char* config, const std::string& webhook_secret);
  /// Runs stashform with `env`, the config folder appended unless with_dir is false.
  CliRun Stashform(std::vector<std::string> args, bool with_dir = true);

  Emulator bitbucket;
  TempDir work;
  std::map<std::string, std::string> env;
  std::string transcript;
};

}  // namespace stashform::testing
