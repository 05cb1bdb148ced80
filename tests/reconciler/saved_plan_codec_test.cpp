// The plan as a saved plan file holds it: secrets as digests only, re-read from the environment
// or the state when the plan is read back, and refused, without their value, when they differ.

#include "reconciler/cli/saved_plan_codec.h"

#include <gtest/gtest.h>

#include <map>

namespace stashform::cli {
namespace {

namespace json = boost::json;

const char* const kSecret = "codec-secret-5d1e";

class SavedPlanCodec : public ::testing::Test {
 protected:
  SavedPlanCodec() {
    state = state::State::New("test");
    engine::ResourceChange change;
    change.address = {"", "fake.thing", "a"};
    change.server = "main";
    change.action = engine::Action::kCreate;
    change.config_attributes = {{"name", Value("a")}, {"secret", Value::Sensitive(Value(kSecret))},
                                {"owner", Value::Ref("fake.key.k", "value")}};
    change.after = {{"name", Value("a")}, {"secret", Value::Sensitive(Value(kSecret))}};
    change.natural_key = {{"name", Value("a")}};
    change.lifecycle = {true, true, false, {"size"}};
    change.dependencies = {{"", "fake.key", "k"}};
    change.create_before_destroy = true;
    plan.changes.push_back(change);
    plan.outputs.push_back({"owner", Value::Ref("fake.key.k", "value"), true});
    servers.push_back({"fake.server", "main", {{"token", Value::Sensitive(Value("server-token-77"))}}, {"main.lua", 1}});
    env = {{"THING_SECRET", kSecret}, {"SERVER_TOKEN", "server-token-77"}};
  }

  json::object Encoded() {
    return EncodeStandalonePlan(plan, servers, [&](const std::string& value) {
      for (const auto& [name, held] : env)
        if (held == value) return name;
      return std::string();
    });
  }

  EnvironmentLookup Environment() {
    return [this](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }

  engine::Plan plan;
  std::vector<dsl::ServerBlock> servers;
  std::map<std::string, std::string> env;
  state::State state;
};

TEST_F(SavedPlanCodec, HoldsNoSecretAndReadsBackWhatApplyNeeds) {
  json::object encoded = Encoded();
  EXPECT_EQ(json::serialize(encoded).find(kSecret), std::string::npos);
  EXPECT_EQ(json::serialize(encoded).find("server-token-77"), std::string::npos);
  SavedPlanReader reader(encoded, Environment());
  auto read = reader.Plan(state);
  ASSERT_TRUE(read.ok()) << read.message();
  const auto& change = read->changes.at(0);
  EXPECT_EQ(change.config_attributes, plan.changes[0].config_attributes);
  EXPECT_TRUE(change.config_attributes.at("secret").sensitive());
  EXPECT_EQ(change.lifecycle, plan.changes[0].lifecycle);
  EXPECT_EQ(change.natural_key, plan.changes[0].natural_key);
  EXPECT_EQ(change.dependencies, plan.changes[0].dependencies);
  EXPECT_TRUE(change.create_before_destroy);
  EXPECT_EQ(read->outputs.at(0).value, plan.outputs[0].value);
  auto server_blocks = reader.Servers();
  ASSERT_TRUE(server_blocks.ok()) << server_blocks.message();
  EXPECT_EQ(server_blocks->servers.at(0).attributes.at("token"), Value("server-token-77"));
}

TEST_F(SavedPlanCodec, ASecretChangedInTheEnvironmentIsRefusedWithoutItsValue) {
  json::object encoded = Encoded();
  env["THING_SECRET"] = "rotated-9a0b";
  auto read = SavedPlanReader(encoded, Environment()).Plan(state);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.message(),
            "saved plan is stale: the secret fake.thing[\"a\"].secret (environment variable THING_SECRET) changed since "
            "the plan was made; run \"stashform plan\" again");
}

TEST_F(SavedPlanCodec, AMissingSecretNamesTheVariableToSet) {
  json::object encoded = Encoded();
  env.erase("SERVER_TOKEN");
  auto read = SavedPlanReader(encoded, Environment()).Servers();
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.message(),
            "the saved plan needs the secret fake.server \"main\".token from the environment variable SERVER_TOKEN, "
            "which is not set; set it as it was when the plan was made");
}

TEST_F(SavedPlanCodec, ASecretNoVariableHeldIsReadBackFromTheState) {
  env.erase("THING_SECRET");  // as a secret the config computed: no variable holds it
  json::object encoded = Encoded();
  state.Upsert({plan.changes[0].address, "main", "1", {{"secret", Value::Sensitive(Value(kSecret))}}, {}, {}, false});
  auto read = SavedPlanReader(encoded, Environment()).Plan(state);
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(read->changes.at(0).config_attributes.at("secret"), Value(kSecret));
  state.Find(plan.changes[0].address)->attributes["secret"] = Value::Sensitive(Value("other"));
  auto refused = SavedPlanReader(encoded, Environment()).Plan(state);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.message().find(kSecret), std::string::npos);
  EXPECT_NE(refused.message().find("fake.thing[\"a\"].secret"), std::string::npos) << refused.message();
}

}  // namespace
}  // namespace stashform::cli
