// Both JSON formats against golden files (the update switch is in json_formats_fixture.h), the
// plan representation's top-level keys and types against Terraform's list, and the streaming.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <sstream>
#include <streambuf>

#include "reconciler/render/plan_representation.h"
#include "reconciler/render/ui_stream.h"
#include "tests/reconciler/render/json_formats_fixture.h"

namespace stashform::render {
namespace {

namespace json = boost::json;
using testing::JsonFormatsSample;

constexpr const char* kTimestamp = "2026-12-07T10:00:00Z";

std::string Representation(const JsonFormatsSample& sample) {
  std::ostringstream out;
  WritePlanRepresentation(out, {sample.plan, sample.prior, sample.config, sample.registry, sample.options, kTimestamp});
  return out.str();
}

std::string UiTranscript(const JsonFormatsSample& sample) {
  std::ostringstream out;
  UiStream ui(out, [] { return std::string(kTimestamp); });
  ui.Version();
  ui.RefreshStart(sample.plan.changes[0].address, "1");
  ui.RefreshComplete(sample.plan.changes[0].address, "1");
  Diagnostics diagnostics;
  diagnostics.Warning({"main.lua", 7}, "fake.thing \"a\"", "size is deprecated", "use count");
  ui.Diagnostics(diagnostics);
  ui.Plan(sample.plan);
  ui.ApplyStart(sample.plan.changes[0]);
  ui.ApplyComplete(sample.plan.changes[0], std::chrono::milliseconds(1600));
  ui.ApplyStart(sample.plan.changes[3]);
  ui.ApplyErrored(sample.plan.changes[3], std::chrono::milliseconds(200));
  ui.ChangeSummary({1, 1, 0, 0}, "apply");
  ui.Outputs(sample.prior.outputs);
  ui.Own("pending_verification", "fake.thing[\"found\"]: pending", {{"address", "fake.thing[\"found\"]"}});
  return out.str();
}

/// The text with stashform's version as "VERSION", so that a release does not change the golden files.
std::string WithoutVersion(std::string text) {
  const std::string version = STASHFORM_VERSION;
  for (size_t at = text.find(version); at != std::string::npos; at = text.find(version, at))
    text.replace(at, version.size(), "VERSION");
  return text;
}

TEST(JsonFormatsGolden, PlanRepresentation) {
  JsonFormatsSample sample;
  std::string text = Representation(sample);
  testing::ExpectGolden("plan_representation.json", WithoutVersion(testing::Pretty(json::parse(text))));
}

TEST(JsonFormatsGolden, StateRepresentation) {
  JsonFormatsSample sample;
  std::ostringstream out;
  WriteStateRepresentation(out, sample.prior);
  testing::ExpectGolden("state_representation.json", WithoutVersion(testing::Pretty(json::parse(out.str()))));
}

TEST(JsonFormatsGolden, MachineReadableUi) {
  JsonFormatsSample sample;
  testing::ExpectGolden("machine_readable_ui.jsonl", WithoutVersion(UiTranscript(sample)));
}

TEST(JsonFormats, NeitherFormatCarriesASecret) {
  JsonFormatsSample sample;
  std::ostringstream state;
  WriteStateRepresentation(state, sample.prior);
  for (const std::string& text : {Representation(sample), UiTranscript(sample), state.str()}) {
    EXPECT_EQ(text.find("SECRET"), std::string::npos) << text;
    EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
  }
}

/// Terraform's top-level keys of the plan representation and their JSON kinds (reference §1.5 (a),
/// plus format_version, terraform_version, applyable and complete that issue 21 names).
TEST(JsonFormats, PlanRepresentationHasEveryTopLevelKeyOfTerraformsWithItsType) {
  JsonFormatsSample sample;
  json::object top = json::parse(Representation(sample)).as_object();
  const std::vector<std::pair<const char*, json::kind>> expected = {
      {"format_version", json::kind::string},   {"terraform_version", json::kind::string},
      {"prior_state", json::kind::object},      {"configuration", json::kind::object},
      {"planned_values", json::kind::object},   {"resource_changes", json::kind::array},
      {"resource_drift", json::kind::array},    {"relevant_attributes", json::kind::array},
      {"output_changes", json::kind::object},   {"checks", json::kind::array},
      {"applyable", json::kind::bool_},         {"complete", json::kind::bool_},
      {"errored", json::kind::bool_},           {"timestamp", json::kind::string}};
  for (const auto& [key, kind] : expected) {
    ASSERT_TRUE(top.contains(key)) << key;
    EXPECT_EQ(top.at(key).kind(), kind) << key;
  }
  EXPECT_EQ(top.size(), expected.size()) << "a key Terraform's readers do not know: " << json::serialize(top);
  EXPECT_EQ(top.at("format_version"), "1.2");
  EXPECT_EQ(top.at("terraform_version"), STASHFORM_VERSION);
  EXPECT_EQ(top.at("timestamp"), kTimestamp);
  EXPECT_EQ(top.at("prior_state").at("values").at("root_module").at("resources").as_array().size(), 2u);
  EXPECT_EQ(top.at("configuration").at("root_module").at("resources").as_array().size(), 2u);
}

TEST(JsonFormats, AnUpdatesBeforeAndAfterCarryTheSameKeys) {
  JsonFormatsSample sample;
  json::value update = json::parse(Representation(sample)).at("resource_changes").at(0);
  ASSERT_EQ(update.at("change").at("actions"), (json::array{"update"}));
  auto keys = [](const json::value& object) {
    std::vector<std::string> out;
    for (const auto& member : object.as_object()) out.emplace_back(member.key());
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(keys(update.at("change").at("before")), keys(update.at("change").at("after")));
  EXPECT_EQ(update.at("change").at("after").at("tags"), (json::array{"x"})) << "what the config leaves out stays";
}

TEST(JsonFormats, ReplaceRequestedWithDashReplaceIsReplaceByRequest) {
  JsonFormatsSample sample;
  json::value changes = json::parse(Representation(sample)).at("resource_changes");
  EXPECT_EQ(changes.at(3).at("action_reason"), "replace_by_request");
  EXPECT_EQ(changes.at(2).at("action_reason"), "delete_because_no_resource_config");
  EXPECT_EQ(changes.at(4).at("change").at("importing"), (json::object{{"id", "9"}}));
  EXPECT_EQ(changes.at(5).at("previous_address"), "fake.thing[\"was\"]");
  sample.plan.changes[3].reasons = {"name: forces replacement"};
  EXPECT_EQ(json::parse(Representation(sample)).at("resource_changes").at(3).at("action_reason"),
            "replace_because_cannot_update");
}

TEST(JsonFormats, ATargetedPlanIsNotComplete) {
  JsonFormatsSample sample;
  sample.options.targets = {{"", "fake.thing", "a"}};
  EXPECT_EQ(json::parse(Representation(sample)).at("complete"), false);
}

/// Counts the writes a stream receives and the largest one, keeping nothing.
class CountingBuffer : public std::streambuf {
 public:
  size_t writes = 0, largest = 0, total = 0;

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    ++writes;
    largest = std::max(largest, size_t(n));
    total += size_t(n);
    return n;
  }
  int_type overflow(int_type c) override {
    ++writes, ++total;
    largest = std::max<size_t>(largest, 1);
    return c;
  }
};

TEST(JsonFormats, ThePlanRepresentationReachesTheStreamOneResourceAtATime) {
  JsonFormatsSample sample;
  const engine::ResourceChange model = sample.plan.changes[1];
  constexpr int kResources = 5000;
  sample.plan.changes.assign(kResources, model);
  for (int i = 0; i < kResources; ++i) sample.plan.changes[i].address.name = "thing-" + std::to_string(i);
  CountingBuffer buffer;
  std::ostream out(&buffer);
  WritePlanRepresentation(out, {sample.plan, sample.prior, sample.config, sample.registry, sample.options, kTimestamp});
  // planned_values and resource_changes each write every resource on its own: no piece is more
  // than a resource's worth, however large the document.
  EXPECT_GE(buffer.writes, size_t(2 * kResources));
  EXPECT_LT(buffer.largest, 4096u) << "of " << buffer.total << " bytes in all";
  EXPECT_GT(buffer.total, size_t(kResources) * 400);
}

}  // namespace
}  // namespace stashform::render
