#pragma once
// LiveServer: a started Bitbucket emulator and a BitbucketServer talking to it over loopback with
// the real CurlHttpClient, for the *_emulator_test.cpp files.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "modules/bitbucket/provider.h"
#include "modules/http/curl_http_client.h"
#include "tests/integration/harness.h"

namespace stashform::bitbucket {

class LiveServer {
 public:
  /// The emulator caps pages at 25 items so that every listing of more pages through.
  explicit LiveServer(const std::string& seed = testing::SeedWithRepositories({"api", "web"}),
                      std::vector<std::string> faults = {})
      : emulator_(seed, WithPageCap(std::move(faults))),
        provider_([](const http::ClientOptions& options) {
          http::ClientOptions bounded = options;
          bounded.max_retries = 1;
          bounded.initial_backoff = std::chrono::milliseconds(10);
          return std::make_unique<http::CurlHttpClient>(bounded);
        }) {}

  /// A server block with Basic admin/admin, or with a Bearer token when one is given.
  std::unique_ptr<provider::Server> Connect(const std::string& token = "") {
    Value::Map config{{"url", Value(emulator_.url())}};
    if (token.empty()) {
      config["username"] = Value("admin");
      config["password"] = Value("admin");
    } else {
      config["token"] = Value(token);
    }
    auto server = provider_.Configure("corp", config);
    EXPECT_TRUE(server.ok()) << server.message();
    return server.ok() ? std::move(*server) : nullptr;
  }

  const testing::Emulator& emulator() const { return emulator_; }
  const std::string& url() const { return emulator_.url(); }

  /// How many logged requests were GETs whose path starts with `prefix`.
  int GetsStartingWith(const std::string& prefix) const {
    int count = 0;
    auto log = emulator_.Admin("GET", "/_emulator/requests");
    for (const auto& entry : log.body.at("requests").as_array())
      if (entry.at("method").as_string() == "GET" && std::string(entry.at("path").as_string()).rfind(prefix, 0) == 0)
        ++count;
    return count;
  }

  /// The emulator's dump under `key` ("webhooks", "accessTokens", ...).
  boost::json::array Dump(const char* key) const {
    return emulator_.Admin("GET", "/_emulator/dump").body.at(key).as_array();
  }

 private:
  static std::vector<std::string> WithPageCap(std::vector<std::string> args) {
    args.insert(args.end(), {"--page-limit-cap", "25"});
    return args;
  }
  testing::Emulator emulator_;
  BitbucketProvider provider_;
};

/// Fails the test with the diagnostics when a response carries errors.
#define EXPECT_NO_DIAGNOSTICS(response) EXPECT_FALSE((response).diagnostics.HasErrors()) << (response).diagnostics.ToString()

}  // namespace stashform::bitbucket
