// modules/spacelift/spacelift.lua evaluated by the DSL with the real Bitbucket and Spacelift
// schemas: what one call of the recipe declares, and how the pieces reference each other.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "dsl/evaluator.h"
#include "modules/bitbucket/provider.h"
#include "tests/support/fake_http_client.h"
#include "modules/spacelift/provider.h"

namespace stashform::spacelift {
namespace {

const char* const kMain = R"(
local bb = bitbucket.server "local" { url = "http://bb.test:7990", token = "t" }
local acct = spacelift.account "corp" { api_url = "http://spl.test", api_key_id = "k", api_key_secret = "s" }
local spl = import "spacelift"
local wired = spl.wire(bb, acct, {
  { project = "INFRA", slug = "tf-network", stack = "tf-network" },
  { project = "INFRA", slug = "tf-dns", stack = "tf-dns", branch = "release" },
  { project = "INFRA", slug = "tf-dns", stack = "tf-dns-prod" },
}, { name = "corp-bitbucket", username = "spacelift-bot" })
output "webhook_url" { value = wired.integration.webhook_url }
)";

struct Evaluated {
  dsl::EvalResult result;
  const dsl::ResourceBlock* Find(const std::string& address) const {
    for (const auto& block : result.config.resources)
      if (block.address.ToString() == address) return &block;
    return nullptr;
  }
};

Evaluated Evaluate(const std::string& main) {
  static auto make_client = [](const http::ClientOptions&) { return std::make_unique<http::FakeHttpClient>(); };
  static bitbucket::BitbucketProvider bitbucket_provider(make_client);
  static auto spacelift_provider = MakeSpaceliftProvider(make_client);
  std::vector<const ResourceSchema*> schemas;
  dsl::EvalOptions options;
  for (auto* provider : std::vector<provider::Provider*>{&bitbucket_provider, spacelift_provider.get()})
    for (const auto* schema : provider->Schemas())
      (schema->is_data_source ? options.data_source_schemas : schemas).push_back(schema);
  // As the CLI does: every platform folder under modules/ is searched, so `import "spacelift"`.
  options.module_paths = {std::string(STASHFORM_SOURCE_DIR) + "/modules/bitbucket",
                          std::string(STASHFORM_SOURCE_DIR) + "/modules/spacelift"};
  options.read_file = [main](const std::string& path) -> std::optional<std::string> {
    if (path == "cfg/main.lua") return main;
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  return {dsl::EvaluateFolder("cfg", schemas, options)};
}

const std::string kPrefix = "module.spacelift.";

TEST(SpaceliftRecipe, OneCallDeclaresTokenIntegrationWebhooksAndBindings) {
  Evaluated evaluated = Evaluate(kMain);
  ASSERT_FALSE(evaluated.result.diagnostics.HasErrors()) << evaluated.result.diagnostics.ToString();
  std::vector<std::string> addresses;
  for (const auto& block : evaluated.result.config.resources) addresses.push_back(block.address.ToString());
  EXPECT_EQ(addresses, (std::vector<std::string>{
                           kPrefix + "bitbucket.access_token[\"spacelift-bot/spacelift\"]",
                           kPrefix + "spacelift.bitbucket_datacenter_integration[\"corp-bitbucket\"]",
                           kPrefix + "bitbucket.webhook[\"spacelift/INFRA/tf-network\"]",
                           kPrefix + "spacelift.stack_binding[\"tf-network\"]",
                           kPrefix + "bitbucket.webhook[\"spacelift/INFRA/tf-dns\"]",
                           kPrefix + "spacelift.stack_binding[\"tf-dns\"]",
                           kPrefix + "spacelift.stack_binding[\"tf-dns-prod\"]",
                       }));
}

TEST(SpaceliftRecipe, TheWebhookCarriesTheGuidesEventsAndTheIntegrationsUrlAndSecret) {
  Evaluated evaluated = Evaluate(kMain);
  const auto* hook = evaluated.Find(kPrefix + "bitbucket.webhook[\"spacelift/INFRA/tf-dns\"]");
  ASSERT_NE(hook, nullptr) << evaluated.result.diagnostics.ToString();
  const std::string integration = kPrefix + "spacelift.bitbucket_datacenter_integration[\"corp-bitbucket\"]";
  EXPECT_EQ(hook->attributes.at("events"),
            Value::StringList({"repo:refs_changed", "pr:opened", "pr:from_ref_updated", "pr:modified",
                               "pr:reviewer:approved", "pr:reviewer:unapproved", "pr:merged", "pr:comment:added"}));
  EXPECT_EQ(hook->attributes.at("url"), Value::Ref(integration, "webhook_url"));
  EXPECT_EQ(hook->attributes.at("secret"), Value::Ref(integration, "webhook_secret"));
  EXPECT_TRUE(hook->attributes.at("secret").sensitive());
  EXPECT_EQ(hook->server, "local");
}

TEST(SpaceliftRecipe, TheIntegrationUsesTheDeclaredTokenAndMovesBeforeItGoes) {
  Evaluated evaluated = Evaluate(kMain);
  const auto* integration = evaluated.Find(kPrefix + "spacelift.bitbucket_datacenter_integration[\"corp-bitbucket\"]");
  ASSERT_NE(integration, nullptr) << evaluated.result.diagnostics.ToString();
  EXPECT_EQ(integration->attributes.at("access_token"),
            Value::Ref(kPrefix + "bitbucket.access_token[\"spacelift-bot/spacelift\"]", "token"));
  EXPECT_EQ(integration->attributes.at("api_host"), Value("http://bb.test:7990"));
  EXPECT_TRUE(integration->lifecycle.create_before_destroy);
  EXPECT_EQ(integration->server, "corp");
  const auto* token = evaluated.Find(kPrefix + "bitbucket.access_token[\"spacelift-bot/spacelift\"]");
  EXPECT_EQ(token->attributes.at("permissions"), Value::StringList({"PROJECT_READ", "REPO_READ"}));
  EXPECT_EQ(token->attributes.at("user"), Value("spacelift-bot"));
}

TEST(SpaceliftRecipe, TheTokenIsTheBotUsersSoItsAddressOutlivesARenameAndTheOldAddressMovesToIt) {
  Evaluated evaluated = Evaluate(kMain);
  ASSERT_FALSE(evaluated.result.diagnostics.HasErrors()) << evaluated.result.diagnostics.ToString();
  const auto& moved = evaluated.result.config.moved;
  ASSERT_EQ(moved.size(), 1u);
  // Where the token was before this recipe keyed it by user: under the integration's name.
  EXPECT_EQ(moved[0].from.ToString(), kPrefix + "bitbucket.access_token[\"corp-bitbucket\"]");
  EXPECT_EQ(moved[0].to.ToString(), kPrefix + "bitbucket.access_token[\"spacelift-bot/spacelift\"]");
  std::string renamed = kMain;
  renamed.replace(renamed.find("name = \"corp-bitbucket\""), std::string("name = \"corp-bitbucket\"").size(),
                  "name = \"platform-bitbucket\"");
  Evaluated after_rename = Evaluate(renamed);
  EXPECT_NE(after_rename.Find(kPrefix + "bitbucket.access_token[\"spacelift-bot/spacelift\"]"), nullptr);
}

TEST(SpaceliftRecipe, BindingsNameTheirStackProjectRepositoryAndIntegration) {
  Evaluated evaluated = Evaluate(kMain);
  const auto* binding = evaluated.Find(kPrefix + "spacelift.stack_binding[\"tf-dns\"]");
  ASSERT_NE(binding, nullptr) << evaluated.result.diagnostics.ToString();
  EXPECT_EQ(binding->attributes.at("stack"), Value("tf-dns"));
  EXPECT_EQ(binding->attributes.at("namespace"), Value("INFRA"));
  EXPECT_EQ(binding->attributes.at("repository"), Value("tf-dns"));
  EXPECT_EQ(binding->attributes.at("branch"), Value("release"));
  EXPECT_EQ(binding->attributes.at("integration"),
            Value::Ref(kPrefix + "spacelift.bitbucket_datacenter_integration[\"corp-bitbucket\"]", "id"));
}

TEST(SpaceliftRecipe, ADefaultIntegrationIsNotCreatedBeforeTheOldOneGoesAndAGivenTokenIsUsed) {
  std::string main = kMain;
  const std::string options = "username = \"spacelift-bot\" }";
  main.replace(main.find(options), options.size(),
               "username = \"spacelift-bot\", is_default = true, access_token = \"given\" }");
  Evaluated evaluated = Evaluate(main);
  ASSERT_FALSE(evaluated.result.diagnostics.HasErrors()) << evaluated.result.diagnostics.ToString();
  const auto* integration = evaluated.Find(kPrefix + "spacelift.bitbucket_datacenter_integration[\"corp-bitbucket\"]");
  EXPECT_FALSE(integration->lifecycle.create_before_destroy);
  EXPECT_EQ(integration->attributes.at("access_token"), Value("given"));
  EXPECT_EQ(evaluated.Find(kPrefix + "bitbucket.access_token[\"spacelift-bot/spacelift\"]"), nullptr);
}

TEST(SpaceliftRecipe, MissingOptionsAreNamed) {
  std::string main = kMain;
  const std::string options = "{ name = \"corp-bitbucket\", username = \"spacelift-bot\" }";
  main.replace(main.find(options), options.size(), "{ name = \"x\" }");
  Evaluated evaluated = Evaluate(main);
  EXPECT_NE(evaluated.result.diagnostics.ToString().find("spacelift.wire: options.username (the Bitbucket user) is required"),
            std::string::npos)
      << evaluated.result.diagnostics.ToString();
}

TEST(SpaceliftRecipe, AConfigCannotChangeTheGuidesEventsButCanUseThem) {
  const std::string main = std::string(R"(
local guide = import "spacelift"
assert(not pcall(function() guide.WEBHOOK_EVENTS = { "pr:merged" } end))
assert(not pcall(function() guide.WEBHOOK_EVENTS[1] = "pr:merged" end))
assert(not pcall(function() guide.TOKEN_PERMISSIONS[2] = "REPO_ADMIN" end))
assert(not pcall(function() guide.wire = function() end end))
)") + kMain + R"(
bitbucket.webhook "mine" { server = bb, project = "INFRA", repository = "other", name = "mine",
                           url = "https://ci.test/hook", events = spl.WEBHOOK_EVENTS }
)";
  Evaluated evaluated = Evaluate(main);
  ASSERT_FALSE(evaluated.result.diagnostics.HasErrors()) << evaluated.result.diagnostics.ToString();
  const Value guide_events =
      Value::StringList({"repo:refs_changed", "pr:opened", "pr:from_ref_updated", "pr:modified",
                         "pr:reviewer:approved", "pr:reviewer:unapproved", "pr:merged", "pr:comment:added"});
  EXPECT_EQ(evaluated.Find(kPrefix + "bitbucket.webhook[\"spacelift/INFRA/tf-dns\"]")->attributes.at("events"), guide_events);
  const auto* token = evaluated.Find(kPrefix + "bitbucket.access_token[\"spacelift-bot/spacelift\"]");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->attributes.at("permissions"), Value::StringList({"PROJECT_READ", "REPO_READ"}));
  EXPECT_EQ(evaluated.Find("bitbucket.webhook[\"mine\"]")->attributes.at("events"), guide_events);
}

TEST(SpaceliftRecipe, WritingIntoTheRecipeNamesTheKeyAndTheWayOut) {
  Evaluated evaluated = Evaluate("local spl = import 'spacelift'\nspl.WEBHOOK_EVENTS[#spl.WEBHOOK_EVENTS + 1] = 'pr:declined'\n");
  EXPECT_EQ(evaluated.result.diagnostics.ToString(),
            "Error: main.lua:2: module \"spacelift\" is read-only in the sandbox (spacelift.WEBHOOK_EVENTS[9]), so that one "
            "file cannot change what another computes; copy the table first ({ table.unpack(list) }, or a loop over "
            "pairs) and change the copy\n");
}

}  // namespace
}  // namespace stashform::spacelift
