// The `timeout` attribute of every platform's server or account block (modules/server_timeout.h):
// the same schema, the same default, and the whole call of that server's client bounded by it.

#include "modules/server_timeout.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "modules/bitbucket/provider.h"
#include "tests/support/fake_http_client.h"
#include "modules/spacelift/provider.h"

namespace stashform::modules {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

/// Configures one server block of `provider` and returns the options its client was built with.
template <typename MakeProvider>
http::ClientOptions OptionsOf(MakeProvider make_provider, const Value::Map& config) {
  std::optional<http::ClientOptions> seen;
  auto factory = [&](const http::ClientOptions& options) -> std::unique_ptr<http::HttpClient> {
    seen = options;
    return std::make_unique<http::FakeHttpClient>();
  };
  std::unique_ptr<provider::Provider> provider = make_provider(factory);
  auto server = provider->Configure("corp", config);
  EXPECT_TRUE(server.ok()) << server.status().message();
  return seen.value_or(http::ClientOptions{});
}

auto Bitbucket = [](auto factory) -> std::unique_ptr<provider::Provider> {
  return std::make_unique<bitbucket::BitbucketProvider>(factory);
};
auto Spacelift = [](auto factory) { return spacelift::MakeSpaceliftProvider(factory); };

const Value::Map kBitbucket = {{"url", "http://127.0.0.1:7990"}, {"token", "t0ken"}};
const Value::Map kSpacelift = {
    {"api_url", "http://127.0.0.1:8080"}, {"api_key_id", "id"}, {"api_key_secret", "s3cret"}};

Value::Map With(Value::Map config, int64_t timeout) {
  config["timeout"] = timeout;
  return config;
}

TEST(ServerTimeout, EveryServerBlockDeclaresTheSameAttribute) {
  for (const ResourceSchema* schema : {&bitbucket::ServerSchema(), &spacelift::AccountSchema()}) {
    const AttributeSchema* timeout = schema->Find("timeout");
    ASSERT_NE(timeout, nullptr) << schema->type;
    EXPECT_EQ(timeout->type, AttrType::kInt) << schema->type;
    EXPECT_EQ(timeout->mode, AttrMode::kOptional) << schema->type;
    EXPECT_EQ(timeout->check(Value(0)), "expected whole seconds from 1 to 3600, got 0");
    EXPECT_EQ(timeout->check(Value(3601)), "expected whole seconds from 1 to 3600, got 3601");
    EXPECT_EQ(timeout->check(Value(2)), "");
  }
}

TEST(ServerTimeout, BoundsEveryCallOfTheServersClientByIt) {
  for (const auto& options : {OptionsOf(Bitbucket, With(kBitbucket, 6)),
                              OptionsOf(Spacelift, With(kSpacelift, 6))}) {
    EXPECT_EQ(options.call_timeout, seconds(6));
    EXPECT_EQ(options.connect_timeout, seconds(2));
  }
}

TEST(ServerTimeout, DefaultsToThirtySeconds) {
  for (const auto& options : {OptionsOf(Bitbucket, kBitbucket), OptionsOf(Spacelift, kSpacelift)}) {
    EXPECT_EQ(options.call_timeout, seconds(kDefaultTimeoutSeconds));
    EXPECT_EQ(options.call_timeout, seconds(30));
    EXPECT_EQ(options.connect_timeout, seconds(10));
  }
}

}  // namespace
}  // namespace stashform::modules
