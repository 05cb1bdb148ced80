#include <gtest/gtest.h>

#include "state/state.h"
#include "tests/state/test_support.h"

namespace stashform::state {
namespace {

using testing::SampleState;
using testing::Webhook;

const char* kFile = "stashform.state.json";

TEST(StateCodec, RoundTripKeepsContentAndSensitiveMarks) {
  State original = SampleState();
  original.serial = 4;
  Result<State> decoded = DecodeState(EncodeState(original), kFile);
  ASSERT_TRUE(decoded.ok()) << decoded.message();
  EXPECT_TRUE(decoded->SameContent(original));
  EXPECT_EQ(decoded->serial, 4u);
  EXPECT_EQ(decoded->tool_version, "0.1.0");
  const ResourceState* hook = decoded->Find(Webhook("INFRA/api"));
  ASSERT_NE(hook, nullptr);
  EXPECT_TRUE(hook->attributes.at("secret").sensitive());
  EXPECT_TRUE(hook->attributes.at("credentials").as_map().at("password").sensitive());
  EXPECT_FALSE(hook->attributes.at("credentials").as_map().at("user").sensitive());
  EXPECT_FALSE(hook->attributes.at("url").sensitive());
  EXPECT_TRUE(hook->private_data.at("token").sensitive());
  EXPECT_TRUE(decoded->outputs.at("hook_secret").sensitive());
  EXPECT_FALSE(decoded->outputs.at("hook_url").sensitive());
  ASSERT_EQ(decoded->intents.size(), 1u);
  EXPECT_EQ(decoded->intents[0].address, Webhook("INFRA/web"));
  EXPECT_EQ(decoded->intents[0].created_at_ms, 1700000000000);
}

TEST(StateCodec, WritesTheDocumentedShapeWithStableKeyOrder) {
  State state;
  state.lineage = "6f1c0d1e-0000-4000-8000-000000000001";
  state.serial = 3;
  state.tool_version = "0.1.0";
  ResourceState hook;
  hook.address = Webhook("INFRA/api");
  hook.server = "corp";
  hook.id = "7";
  hook.attributes = Value::Map{{"secret", Value::Sensitive("s")}, {"active", true}};
  state.Upsert(hook);
  EXPECT_EQ(EncodeState(state), R"({
  "format": "stashform-state",
  "version": 1,
  "lineage": "6f1c0d1e-0000-4000-8000-000000000001",
  "serial": 3,
  "tool_version": "0.1.0",
  "resources": [
    {
      "address": "bitbucket.webhook[\"INFRA/api\"]",
      "module": "",
      "type": "bitbucket.webhook",
      "name": "INFRA/api",
      "server": "corp",
      "id": "7",
      "attributes": {
        "active": true,
        "secret": "s"
      },
      "sensitive_attributes": [
        "secret"
      ],
      "private": {},
      "dependencies": [],
      "prevent_destroy": false,
      "keep_on_removal": false
    }
  ],
  "outputs": {},
  "sensitive_outputs": [],
  "intents": []
}
)");
}

TEST(StateCodec, EncodingIsStable) {
  State state = SampleState();
  std::string once = EncodeState(state);
  Result<State> decoded = DecodeState(once, kFile);
  ASSERT_TRUE(decoded.ok()) << decoded.message();
  EXPECT_EQ(EncodeState(*decoded), once);
}

TEST(StateCodec, KeepsResourcesSortedByAddressWhateverTheFileOrder) {
  State state = SampleState();
  state.Upsert(testing::SampleWebhook("A/first"));
  std::string text = EncodeState(state);
  // Swap the two resources' addresses in the text so the file lists them out of order.
  std::string swapped = text;
  auto swap = [&](const std::string& a, const std::string& b) {
    for (size_t at = swapped.find(a); at != std::string::npos; at = swapped.find(a, at + b.size()))
      swapped.replace(at, a.size(), b);
  };
  swap("A/first", "@@");
  swap("INFRA/api", "A/first");
  swap("@@", "INFRA/api");
  Result<State> decoded = DecodeState(swapped, kFile);
  ASSERT_TRUE(decoded.ok()) << decoded.message();
  ASSERT_EQ(decoded->resources.size(), 2u);
  EXPECT_EQ(decoded->resources[0].address.name, "A/first");
  EXPECT_NE(decoded->Find(Webhook("INFRA/api")), nullptr);
}

// Every file stashform writes has its header first, so resources decode as they stream in; a file
// edited by hand may list them before the header and must read the same.
TEST(StateCodec, ReadsResourcesListedBeforeTheHeaderTheSame) {
  State original = SampleState();
  std::string text = EncodeState(original);
  size_t resources = text.find("  \"resources\"");
  size_t outputs = text.find("  \"outputs\"");
  ASSERT_NE(resources, std::string::npos);
  std::string moved = "{\n" + text.substr(resources, outputs - resources) + text.substr(2, resources - 2) +
                      text.substr(outputs);
  ASSERT_NE(moved, text);
  Result<State> decoded = DecodeState(moved, kFile);
  ASSERT_TRUE(decoded.ok()) << decoded.message();
  EXPECT_EQ(EncodeState(*decoded), text);
}

TEST(StateCodec, OfARepeatedResourcesKeyTheLastListCounts) {
  Result<State> decoded = DecodeState(
      R"({"format": "stashform-state", "version": 1, "lineage": "L", "serial": 1,
          "resources": [{"address": "a.b[\"first\"]", "server": "s", "id": "1"}, 7],
          "resources": [{"address": "a.b[\"second\"]", "server": "s", "id": "2"}]})",
      kFile);
  ASSERT_TRUE(decoded.ok()) << decoded.message();
  ASSERT_EQ(decoded->resources.size(), 1u);
  EXPECT_EQ(decoded->resources[0].address.name, "second");
  Result<State> emptied = DecodeState(
      R"({"format": "stashform-state", "version": 1, "lineage": "L", "serial": 1,
          "resources": [{"address": "a.b[\"first\"]", "server": "s", "id": "1"}], "resources": []})",
      kFile);
  ASSERT_TRUE(emptied.ok()) << emptied.message();
  EXPECT_TRUE(emptied->resources.empty());
}

struct BadState {
  std::string text;
  std::string error;
};

class StateCodecErrors : public ::testing::TestWithParam<BadState> {};

TEST_P(StateCodecErrors, NameTheFileAndThePlace) {
  Result<State> decoded = DecodeState(GetParam().text, kFile);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.message(), GetParam().error);
}

const std::string kHead = R"({"format": "stashform-state", "version": 1, "lineage": "L", "serial": 1, )";

INSTANTIATE_TEST_SUITE_P(
    Table, StateCodecErrors,
    ::testing::Values(
        BadState{"{\n  \"format\": \"stashform-state\",\n  \"version\" 1\n}",
                 "stashform.state.json:3:13: syntax error"},
        BadState{"{\n  \"format\": \"stashform-state\",\n  \"version\": 1,\n  \"lin", "stashform.state.json:4:7: incomplete JSON"},
        BadState{"", "stashform.state.json:1:1: incomplete JSON"},
        BadState{"{} {}", "stashform.state.json:1:4: extra data"},
        BadState{"[]", "stashform.state.json: not a stashform state file (not a JSON object)"},
        BadState{R"({"format": "terraform", "version": 4})",
                 "stashform.state.json: not a stashform state file (expected \"format\": \"stashform-state\")"},
        BadState{R"({"format": "stashform-state", "version": 2, "lineage": "L", "serial": 1})",
                 "stashform.state.json: state format version 2 is newer than this stashform understands (1); "
                 "upgrade stashform"},
        BadState{R"({"format": "stashform-state", "version": 0})",
                 "stashform.state.json: version: unknown state format version 0"},
        BadState{R"({"format": "stashform-state", "version": "1"})",
                 "stashform.state.json: version: expected an integer"},
        BadState{R"({"format": "stashform-state", "version": 1, "serial": 1})", "stashform.state.json: lineage: missing"},
        BadState{R"({"format": "stashform-state", "version": 1, "lineage": "", "serial": 1})",
                 "stashform.state.json: lineage: empty"},
        BadState{kHead + R"("resources": [{"address": "webhook", "server": "s", "id": "1"}]})",
                 "stashform.state.json: resources[0].address: malformed address \"webhook\""},
        BadState{kHead + R"("resources": [{"address": "a.b[\"x\"]", "server": "s"}]})",
                 "stashform.state.json: resources[0].id: missing"},
        BadState{kHead + R"("resources": [{"address": "a.b[\"x\"]", "type": "a.c", "server": "s", "id": "1"}]})",
                 "stashform.state.json: resources[0].address: module, type or name contradicts the address"},
        BadState{kHead + R"("resources": [{"address": "a.b[\"x\"]", "server": "s", "id": "1",
                 "attributes": {"a": 1}, "sensitive_attributes": ["secret"]}]})",
                 "stashform.state.json: resources[0].sensitive_attributes: \"secret\" names no value"},
        BadState{kHead + R"("resources": [{"address": "a.b[\"x\"]", "server": "s", "id": "1"},
                 {"address": "a.b[\"x\"]", "server": "s", "id": "2"}]})",
                 "stashform.state.json: resources: a.b[\"x\"] appears twice"},
        BadState{kHead + R"("resources": [7]})", "stashform.state.json: resources[0]: expected an object"},
        BadState{kHead + R"("intents": [{"address": "a.b[\"x\"]", "server": "s"}]})",
                 "stashform.state.json: intents[0].created_at_ms: missing"},
        // Resources decode as the parser reads them, yet their errors wait their turn: a syntax
        // error anywhere, then the header's checks, then the first bad resource, then twins.
        BadState{kHead + "\"resources\": [7],\n\"outputs\": {} {}}", "stashform.state.json:2:15: syntax error"},
        BadState{R"({"format": "stashform-state", "version": 1, "resources": [7], "serial": 1})",
                 "stashform.state.json: lineage: missing"},
        BadState{kHead + R"("resources": [{"address": "a.b[\"x\"]", "server": "s", "id": "1"},
                 {"address": "a.b[\"x\"]", "server": "s", "id": "2"}, {"address": "c"}]})",
                 "stashform.state.json: resources[2].address: malformed address \"c\""},
        BadState{kHead + R"("resources": [{"address": "a.b[\"y\"]", "server": "s", "id": "1"},
                 {"address": "a.b[\"y\"]", "server": "s", "id": "2"}, {"address": "a.b[\"x\"]", "server": "s",
                 "id": "3"}, {"address": "a.b[\"x\"]", "server": "s", "id": "4"}]})",
                 "stashform.state.json: resources: a.b[\"x\"] appears twice"},
        BadState{kHead + R"("resources": {"address": "a.b[\"x\"]"}})", "stashform.state.json: resources: expected a list"},
        BadState{R"({"version": 1, "resources": [7], "format": "stashform-state", "lineage": "L", "serial": 1})",
                 "stashform.state.json: resources[0]: expected an object"}));

TEST(StateCodec, TruncatedFileErrorPointsAtItsEnd) {
  std::string text = EncodeState(SampleState());
  std::string truncated = text.substr(0, text.size() / 2);
  size_t lines = static_cast<size_t>(std::count(truncated.begin(), truncated.end(), '\n'));
  size_t column = truncated.size() - truncated.rfind('\n');
  Result<State> decoded = DecodeState(truncated, kFile);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.message(),
            "stashform.state.json:" + std::to_string(lines + 1) + ":" + std::to_string(column) + ": incomplete JSON");
}

}  // namespace
}  // namespace stashform::state
