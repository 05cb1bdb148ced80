// The Spacelift resource types against the emulator binary over real HTTP: the same stories the
// CLI tells, one provider call at a time.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>

#include "modules/http/curl_http_client.h"
#include "modules/spacelift/provider.h"
#include "modules/spacelift/stack_binding.h"
#include "base/digest.h"
#include "tests/integration/spacelift_harness.h"

namespace stashform::spacelift {
namespace {

namespace json = boost::json;
using provider::ApplyAction;
using stashform::testing::SpaceliftEmulator;
using stashform::testing::SpaceliftSeed;

Value::Map IntegrationConfig(const std::string& name, const std::string& token) {
  return {{"name", Value(name)}, {"is_default", Value(false)}, {"space", Value("root")},
          {"labels", Value::StringList({"managed-by:stashform"})}, {"description", Value("")},
          {"api_host", Value("http://bb.test:7990")}, {"user_facing_host", Value("http://bb.test:7990")},
          {"username", Value("spacelift-bot")}, {"access_token", Value::Sensitive(Value(token))},
          {"vcs_checks", Value("INDIVIDUAL")}};
}

Value::Map BindingConfig(const std::string& stack, const std::string& integration) {
  return {{"stack", Value(stack)}, {"integration", Value(integration)}, {"namespace", Value("INFRA")},
          {"repository", Value(stack)}, {"branch", Value("main")}};
}

Value::Map StackConfig(const std::string& name, const std::string& integration) {
  return {{"name", Value(name)}, {"space", Value("root")}, {"namespace", Value("INFRA")},
          {"repository", Value("tf-network")}, {"branch", Value("main")}, {"project_root", Value("")},
          {"integration", Value(integration)}, {"description", Value("")},
          {"labels", Value::StringList({"team:net"})}, {"autodeploy", Value(false)},
          {"administrative", Value(false)}};
}

/// Whether a refreshed object already matches the config, attribute by attribute, by the schema's rules.
std::string Differences(const ResourceSchema& schema, const Value::Map& config, const Value::Map& read) {
  std::string out;
  for (const auto& [name, desired] : config) {
    auto it = read.find(name);
    if (it == read.end() || !AttributeValuesEqual(*schema.Find(name), desired, it->second)) out += name + " ";
  }
  return out;
}

class SpaceliftAgainstEmulator : public ::testing::Test {
 protected:
  explicit SpaceliftAgainstEmulator(std::vector<std::string> flags = {})
      : emulator(SpaceliftSeed({"tf-network", "tf-dns"}), flags) {
    provider = MakeSpaceliftProvider([](const http::ClientOptions& options) {
      http::ClientOptions fast = options;
      fast.initial_backoff = std::chrono::milliseconds(1);
      return std::make_unique<http::CurlHttpClient>(fast);
    });
    auto configured = provider->Configure("corp", {{"api_url", Value(emulator.url())},
                                                   {"api_key_id", Value("stashform-key")},
                                                   {"api_key_secret", Value::Sensitive(Value("stashform-secret"))}});
    if (!configured.ok()) throw std::runtime_error(configured.message());
    server = std::move(*configured);
    integrations = server->Resource("spacelift.bitbucket_datacenter_integration");
    bindings = server->Resource("spacelift.stack_binding");
  }

  provider::ApplyResponse CreateIntegration(const std::string& name, const std::string& token) {
    auto response = integrations->Apply({ApplyAction::kCreate, "", {}, IntegrationConfig(name, token)});
    EXPECT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
    return response;
  }

  SpaceliftEmulator emulator;
  std::unique_ptr<provider::Provider> provider;
  std::unique_ptr<provider::Server> server;
  provider::ResourceType* integrations = nullptr;
  provider::ResourceType* bindings = nullptr;
};

TEST_F(SpaceliftAgainstEmulator, VerifyLogsInAndAWrongSecretIsOneClearLine) {
  EXPECT_TRUE(server->Verify().ok()) << server->Verify().message();
  auto wrong = provider->Configure("corp", {{"api_url", Value(emulator.url())}, {"api_key_id", Value("stashform-key")},
                                            {"api_key_secret", Value("guess")}});
  ASSERT_TRUE(wrong.ok());
  std::string message = (*wrong)->Verify().message();
  EXPECT_EQ(message, "spacelift login: could not get API user data: unauthorized: invalid API key secret");
}

TEST_F(SpaceliftAgainstEmulator, AnIntegrationIsCreatedReadBackUnchangedAndItsTokenRotated) {
  auto created = CreateIntegration("Corp DC", "token-1");
  EXPECT_EQ(created.id, "corp-dc");
  EXPECT_EQ(created.attributes.at("webhook_url").as_string(),
            emulator.url() + "/webhooks/bitbucket_datacenter/emulator/integration/corp-dc");
  json::value stored = emulator.Integration("corp-dc");
  EXPECT_EQ(created.attributes.at("webhook_secret").as_string(), stored.at("webhookSecret").as_string());
  EXPECT_EQ("sha256:" + std::string(stored.at("accessTokenSha256").as_string()), SecretDigest("token-1"));

  auto read = integrations->Read({created.id, created.attributes});
  ASSERT_FALSE(read.gone);
  EXPECT_EQ(Differences(integrations->schema(), IntegrationConfig("Corp DC", "token-1"), read.attributes), "");

  auto rotated = integrations->Apply({ApplyAction::kUpdate, created.id, read.attributes, IntegrationConfig("Corp DC", "token-2")});
  ASSERT_FALSE(rotated.diagnostics.HasErrors()) << rotated.diagnostics.ToString();
  EXPECT_EQ("sha256:" + std::string(emulator.Integration("corp-dc").at("accessTokenSha256").as_string()),
            SecretDigest("token-2"));
  EXPECT_EQ(rotated.attributes.at("webhook_secret"), created.attributes.at("webhook_secret"))
      << "an update keeps the webhook secret";
}

TEST_F(SpaceliftAgainstEmulator, AnIntegrationDeletedOutOfBandIsGone) {
  auto created = CreateIntegration("corp", "t");
  ASSERT_EQ(emulator.Admin("DELETE", "/_emulator/integrations/corp").status, 200);
  EXPECT_TRUE(integrations->Read({created.id, created.attributes}).gone);
  auto deleted = integrations->Apply({ApplyAction::kDelete, created.id, created.attributes, {}});
  EXPECT_FALSE(deleted.diagnostics.HasErrors()) << "deleting what is already gone succeeds";
}

TEST_F(SpaceliftAgainstEmulator, ABindingChangesOnlyTheVcsFieldsOfTheStack) {
  emulator.Admin("PATCH", "/_emulator/stacks/tf-network", R"({"description":"kept","autodeploy":true,"labels":["x"]})");
  auto integration = CreateIntegration("corp", "t");
  auto bound = bindings->Apply({ApplyAction::kCreate, "", {}, BindingConfig("tf-network", integration.id)});
  ASSERT_FALSE(bound.diagnostics.HasErrors()) << bound.diagnostics.ToString();
  json::value stack = emulator.Stack("tf-network");
  EXPECT_EQ(stack.at("vcsIntegration").at("id"), "corp");
  EXPECT_EQ(stack.at("provider"), "BITBUCKET_DATACENTER");
  EXPECT_EQ(stack.at("description"), "kept");
  EXPECT_EQ(stack.at("autodeploy"), true);
  EXPECT_EQ(stack.at("labels"), json::array{"x"});
  auto read = bindings->Read({"tf-network", bound.attributes});
  EXPECT_EQ(Differences(bindings->schema(), BindingConfig("tf-network", "corp"), read.attributes), "");
  EXPECT_TRUE(read.notes.empty());
}

TEST_F(SpaceliftAgainstEmulator, DeletingTheIntegrationDetachesTheStackAndRebindingRepairsIt) {
  auto first = CreateIntegration("corp", "t");
  auto bound = bindings->Apply({ApplyAction::kCreate, "", {}, BindingConfig("tf-network", "corp")});
  emulator.Admin("DELETE", "/_emulator/integrations/corp");

  auto detached = bindings->Read({"tf-network", bound.attributes});
  EXPECT_TRUE(detached.attributes.at("integration").is_null());
  EXPECT_EQ(detached.notes, std::vector<std::string>{kDetachedNote});

  // The repair: the integration again (same URL, new secret), then the stack bound to it.
  auto second = CreateIntegration("corp", "t");
  EXPECT_EQ(second.attributes.at("webhook_url"), first.attributes.at("webhook_url"));
  EXPECT_NE(second.attributes.at("webhook_secret"), first.attributes.at("webhook_secret"));
  auto rebound = bindings->Apply({ApplyAction::kUpdate, "tf-network", detached.attributes, BindingConfig("tf-network", "corp")});
  ASSERT_FALSE(rebound.diagnostics.HasErrors()) << rebound.diagnostics.ToString();
  EXPECT_EQ(emulator.Stack("tf-network").at("vcsIntegration").at("id"), "corp");
  EXPECT_TRUE(bindings->Read({"tf-network", rebound.attributes}).notes.empty());
}

TEST_F(SpaceliftAgainstEmulator, DeletingABindingLeavesTheStackBound) {
  CreateIntegration("corp", "t");
  auto bound = bindings->Apply({ApplyAction::kCreate, "", {}, BindingConfig("tf-dns", "corp")});
  auto deleted = bindings->Apply({ApplyAction::kDelete, "tf-dns", bound.attributes, {}});
  EXPECT_FALSE(deleted.diagnostics.HasErrors());
  EXPECT_EQ(emulator.Stack("tf-dns").at("vcsIntegration").at("id"), "corp");
}

TEST_F(SpaceliftAgainstEmulator, ARevokedJwtIsReplacedByANewLogin) {
  auto created = CreateIntegration("corp", "t");
  emulator.Admin("POST", "/_emulator/revoke-tokens");
  auto read = integrations->Read({created.id, created.attributes});
  EXPECT_FALSE(read.diagnostics.HasErrors()) << read.diagnostics.ToString();
  int logins = 0;
  for (const auto& entry : emulator.Requests()) logins += entry.at("fields") == "apiKeyUser";
  EXPECT_EQ(logins, 2);
}

TEST_F(SpaceliftAgainstEmulator, NoSecretAppearsInTheEmulatorsRequestLog) {
  CreateIntegration("corp", "token-value-123");
  std::string log = json::serialize(emulator.Admin("GET", "/_emulator/requests").body);
  EXPECT_EQ(log.find("token-value-123"), std::string::npos);
  EXPECT_EQ(log.find("stashform-secret"), std::string::npos);
}

TEST_F(SpaceliftAgainstEmulator, TheStacksDataSourceFindsDetachedStacks) {
  CreateIntegration("corp", "t");
  bindings->Apply({ApplyAction::kCreate, "", {}, BindingConfig("tf-network", "corp")});
  bindings->Apply({ApplyAction::kCreate, "", {}, BindingConfig("tf-dns", "corp")});
  emulator.Admin("PATCH", "/_emulator/stacks/tf-dns", R"({"vcsIntegration":null})");
  auto all = server->ReadDataSource("spacelift.stacks", {});
  ASSERT_TRUE(all.ok()) << all.message();
  ASSERT_EQ(all->as_list().size(), 2u);
  auto detached = server->ReadDataSource("spacelift.stacks", {{"detached", Value(true)}});
  ASSERT_TRUE(detached.ok()) << detached.message();
  ASSERT_EQ(detached->as_list().size(), 1u);
  const Value::Map& item = detached->as_list()[0].as_map();
  EXPECT_EQ(item.at("id"), Value("tf-dns"));
  EXPECT_TRUE(item.at("integration").is_null());
  EXPECT_EQ(item.at("namespace"), Value("INFRA"));
  auto bound = server->ReadDataSource("spacelift.stacks", {{"repository", Value("tf-network")}});
  EXPECT_EQ(bound->as_list()[0].as_map().at("integration"), Value("corp"));
}

TEST_F(SpaceliftAgainstEmulator, ARefreshOfEveryBindingIsOneQuery) {
  CreateIntegration("corp", "t");
  auto network = bindings->Apply({ApplyAction::kCreate, "", {}, BindingConfig("tf-network", "corp")});
  auto dns = bindings->Apply({ApplyAction::kCreate, "", {}, BindingConfig("tf-dns", "corp")});
  emulator.Admin("DELETE", "/_emulator/integrations/corp");
  emulator.Admin("DELETE", "/_emulator/requests");
  auto read = bindings->ReadMany({{"tf-network", network.attributes}, {"tf-dns", dns.attributes}});
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].notes, std::vector<std::string>{kDetachedNote});
  EXPECT_EQ(read[1].notes, std::vector<std::string>{kDetachedNote});
  auto log = emulator.Requests();
  ASSERT_EQ(log.size(), 2u) << "one listing, and one look at the integration both stacks lost";
  EXPECT_EQ(log[0].at("fields"), "searchStacks");
  EXPECT_EQ(log[1].at("fields"), "bitbucketDatacenterIntegration");
}

TEST_F(SpaceliftAgainstEmulator, AStackUnboundByHandSaysSoAndNotThatItsIntegrationWasDeleted) {
  CreateIntegration("corp", "t");
  CreateIntegration("other", "t");
  auto network = bindings->Apply({ApplyAction::kCreate, "", {}, BindingConfig("tf-network", "corp")});
  auto dns = bindings->Apply({ApplyAction::kCreate, "", {}, BindingConfig("tf-dns", "corp")});
  emulator.Admin("PATCH", "/_emulator/stacks/tf-network", R"({"vcsIntegration":null})");
  emulator.Admin("PATCH", "/_emulator/stacks/tf-dns", R"({"vcsIntegration":"other"})");
  auto read = bindings->ReadMany({{"tf-network", network.attributes}, {"tf-dns", dns.attributes}});
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].notes, std::vector<std::string>{kUnboundNote});
  EXPECT_EQ(read[1].notes, std::vector<std::string>{std::string(kRebound) + " \"other\""});
}

class SpaceliftNotFoundAsError : public SpaceliftAgainstEmulator {
 protected:
  SpaceliftNotFoundAsError() : SpaceliftAgainstEmulator({"--not-found", "error"}) {}
};

TEST_F(SpaceliftNotFoundAsError, MissingObjectsAreGoneToo) {
  EXPECT_TRUE(integrations->Read({"nope", {}}).gone);
  EXPECT_TRUE(bindings->Read({"nope", {}}).gone);
}

}  // namespace
}  // namespace stashform::spacelift

namespace stashform::spacelift {
namespace {

/// Every GraphQL document stashform can send, each through the type that sends it, against the
/// emulator: the emulator serves only the provider's documents and logs any rejection.
TEST_F(SpaceliftAgainstEmulator, EveryDocumentStashformSendsIsOneTheEmulatorAccepts) {
  // Integration: create, read, import, find, update, and a stack bound to it.
  auto created = CreateIntegration("corp", "t");
  integrations->Read({created.id, created.attributes});
  integrations->Import(created.id);
  integrations->Find({{"name", Value("corp")}});
  integrations->Apply({ApplyAction::kUpdate, created.id, created.attributes, IntegrationConfig("corp", "t2")});
  // Binding: bind, read one, read many (searchStacks), import, unmanaged stacks, the data source.
  auto bound = bindings->Apply({ApplyAction::kCreate, "", {}, BindingConfig("tf-network", "corp")});
  bindings->Read({"tf-network", bound.attributes});
  bindings->ReadMany({{"tf-network", bound.attributes}, {"tf-dns", {}}});
  bindings->Import("tf-network");
  Diagnostics diagnostics;
  bindings->ListUnmanaged({}, diagnostics);
  EXPECT_TRUE(server->ReadDataSource("spacelift.stacks", {{"detached", Value(true)}}).ok());
  // Stack: create, read, update, import, find, delete.
  provider::ResourceType* stacks = server->Resource("spacelift.stack");
  ASSERT_NE(stacks, nullptr);
  auto stack = stacks->Apply({ApplyAction::kCreate, "", {}, StackConfig("app", "corp")});
  ASSERT_FALSE(stack.diagnostics.HasErrors()) << stack.diagnostics.ToString();
  stacks->Read({stack.id, stack.attributes});
  Value::Map changed = StackConfig("app", "corp");
  changed["description"] = Value("now described");
  stacks->Apply({ApplyAction::kUpdate, stack.id, stack.attributes, changed});
  stacks->Import(stack.id);
  stacks->Find({{"name", Value("app")}});
  stacks->Apply({ApplyAction::kDelete, stack.id, stack.attributes, {}});
  // Reads of what does not exist, then the delete.
  integrations->Read({"nope", {}});
  bindings->Read({"nope", {}});
  integrations->Apply({ApplyAction::kDelete, created.id, created.attributes, {}});

  std::set<std::string> sent;
  for (const auto& entry : emulator.Requests()) {
    sent.insert(std::string(entry.at("fields").as_string()));
    EXPECT_EQ(entry.at("error"), "") << "rejected: " << entry.at("fields").as_string() << " ("
                                     << entry.at("operation").as_string() << ")";
  }
  EXPECT_EQ(sent, (std::set<std::string>{"apiKeyUser", "bitbucketDatacenterIntegration",
                                         "bitbucketDatacenterIntegrationCreate", "bitbucketDatacenterIntegrationDelete",
                                         "bitbucketDatacenterIntegrationUpdate", "searchStacks", "stack", "stackCreate",
                                         "stackDelete", "stackUpdate"}));
}

TEST_F(SpaceliftAgainstEmulator, AStackIsCreatedReadBackUnchangedUpdatedImportedAndDeleted) {
  provider::ResourceType* stacks = server->Resource("spacelift.stack");
  CreateIntegration("corp", "t");
  auto created = stacks->Apply({ApplyAction::kCreate, "", {}, StackConfig("App Stack", "corp")});
  ASSERT_FALSE(created.diagnostics.HasErrors()) << created.diagnostics.ToString();
  EXPECT_EQ(created.id, "app-stack");
  json::value stored = emulator.Stack("app-stack");
  EXPECT_EQ(stored.at("vcsIntegration").at("id"), "corp");
  EXPECT_EQ(stored.at("provider"), "BITBUCKET_DATACENTER");
  EXPECT_EQ(stored.at("labels"), json::array{"team:net"});

  auto read = stacks->Read({created.id, created.attributes});
  EXPECT_EQ(Differences(stacks->schema(), StackConfig("App Stack", "corp"), read.attributes), "");
  Value::Map changed = StackConfig("App Stack", "corp");
  changed["autodeploy"] = Value(true);
  changed["branch"] = Value("release");
  auto updated = stacks->Apply({ApplyAction::kUpdate, created.id, read.attributes, changed});
  ASSERT_FALSE(updated.diagnostics.HasErrors()) << updated.diagnostics.ToString();
  EXPECT_EQ(emulator.Stack("app-stack").at("autodeploy"), true);
  EXPECT_EQ(emulator.Stack("app-stack").at("branch"), "release");

  auto imported = stacks->Import("app-stack");
  ASSERT_TRUE(imported.found);
  EXPECT_EQ(Differences(stacks->schema(), changed, imported.attributes), "");

  auto deleted = stacks->Apply({ApplyAction::kDelete, created.id, updated.attributes, {}});
  EXPECT_FALSE(deleted.diagnostics.HasErrors()) << deleted.diagnostics.ToString();
  EXPECT_TRUE(emulator.Stack("app-stack").is_null());
  EXPECT_TRUE(stacks->Read({created.id, {}}).gone);
}

}  // namespace
}  // namespace stashform::spacelift
