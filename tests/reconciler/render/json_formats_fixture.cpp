#include "tests/reconciler/render/json_formats_fixture.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace stashform::testing {

namespace json = boost::json;
using engine::Action;

namespace {

ResourceAddress Thing(const std::string& name, const std::string& module = "") { return {module, "fake.thing", name}; }

engine::ResourceChange Change(ResourceAddress address, Action action, std::string id = "") {
  engine::ResourceChange change;
  change.address = std::move(address);
  change.server = "corp";
  change.action = action;
  change.id = std::move(id);
  return change;
}

state::ResourceState Recorded(ResourceAddress address, std::string id, Value::Map attributes) {
  state::ResourceState resource;
  resource.address = std::move(address);
  resource.server = "corp";
  resource.id = std::move(id);
  resource.attributes = std::move(attributes);
  return resource;
}

dsl::ResourceBlock Block(ResourceAddress address, Value::Map attributes) {
  dsl::ResourceBlock block;
  block.address = std::move(address);
  block.server = "corp";
  block.attributes = std::move(attributes);
  return block;
}

void AddChanges(engine::Plan& plan) {
  // An update whose planned attributes leave out what the config does not set (tags, id).
  auto update = Change(Thing("a"), Action::kUpdate, "1");
  update.before = {{"name", Value("a")}, {"size", Value(1)}, {"tags", Value::StringList({"x"})}, {"id", Value("1")},
                   {"secret", Value::Sensitive(Value("sha256:old-SECRET"))}};
  update.after = {{"name", Value("a")}, {"size", Value(2)}, {"secret", Value::Sensitive(Value("hunter2-SECRET"))}};
  update.diffs = {{"size", Value(1), Value(2), false}};
  update.reasons = {"size: changed in config"};
  auto create = Change(Thing("new"), Action::kCreate);
  create.after = {{"name", Value("new")}, {"peer", Value::UnknownValue()}, {"id", Value::UnknownValue()}};
  auto remove = Change(Thing("old"), Action::kDelete, "2");
  remove.before = {{"name", Value("old")}, {"id", Value("2")}};
  remove.reasons = {"no longer in config"};
  auto replace = Change(Thing("b", "m"), Action::kReplace, "3");
  replace.before = {{"name", Value("b")}, {"id", Value("3")}};
  replace.after = {{"name", Value("b")}, {"id", Value::UnknownValue()}};
  replace.reasons = {engine::kReplaceRequestedReason};
  auto adopt = Change(Thing("found"), Action::kNoOp, "9");
  adopt.adopt = true;
  adopt.before = {{"name", Value("found")}, {"id", Value("9")}};
  adopt.reasons = {std::string(engine::kAdoptedReason) + "an object with the same name exists (id 9)"};
  auto moved = Change(Thing("moved"), Action::kNoOp, "5");
  moved.before = {{"name", Value("moved")}, {"id", Value("5")}};
  plan.changes = {update, create, remove, replace, adopt, moved};
  plan.state_edits = {{engine::StateEdit::Kind::kMove, Thing("was"), Thing("moved"), "", ""}};
}

}  // namespace

JsonFormatsSample::JsonFormatsSample() {
  registry.Add(std::make_unique<FakeProvider>(remote));
  AddChanges(plan);
  plan.drift.push_back({Thing("a"), false, {{"size", Value(1), Value(5), false}}});
  plan.output_changes = {{"a_id", Action::kCreate, Value(), Value::UnknownValue()},
                         {"token", Action::kUpdate, Value::Sensitive(Value("old-SECRET")), Value::Sensitive(Value("new-SECRET"))}};
  plan.pending = {{Thing("found"), "pending verification — an owner must connect at https://fake.example/verify"}};
  prior = state::State::New("0.0.0");
  prior.Upsert(Recorded(Thing("a"), "1", {{"name", Value("a")}, {"size", Value(1)}, {"id", Value("1")},
                                          {"secret", Value::Sensitive(Value("sha256:old-SECRET"))}}));
  prior.Upsert(Recorded(Thing("old"), "2", {{"name", Value("old")}, {"id", Value("2")}}));
  prior.Upsert(Recorded(Thing("b", "m"), "3", {{"name", Value("b")}, {"id", Value("3")}}));
  prior.outputs = {{"url", Value("https://fake.example/a")}, {"token", Value::Sensitive(Value("old-SECRET"))}};
  config.servers.push_back({"fake.server", "corp", {{"url", Value("https://fake.example")}}, {}});
  config.resources = {Block(Thing("a"), {{"name", Value("a")}, {"size", Value(2)}, {"secret", Value("hunter2-SECRET")}}),
                      Block(Thing("new"), {{"name", Value("new")}, {"peer", Value::Ref("fake.thing[\"a\"]", "id")}}),
                      Block(Thing("b", "m"), {{"name", Value("b")}})};
  config.outputs = {{"a_id", Value::Ref("fake.thing[\"a\"]", "id"), false, "the id of a", {}},
                    {"token", Value::Sensitive(Value("new-SECRET")), true, "", {}}};
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(STASHFORM_GOLDEN_DIR) + "/" + name;
  if (const char* update = std::getenv("STASHFORM_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream file(path, std::ios::binary);
  ASSERT_TRUE(file) << path << " is missing; write it with STASHFORM_UPDATE_GOLDEN=1";
  std::stringstream expected;
  expected << file.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "differs from " << path
                                    << "; if the change is intended, rewrite it with STASHFORM_UPDATE_GOLDEN=1";
}

namespace {

void PrettyInto(const json::value& value, int depth, std::string& out) {
  const std::string indent(2 * (depth + 1), ' '), closing(2 * depth, ' ');
  if (value.is_object() && !value.as_object().empty()) {
    out += "{\n";
    size_t i = 0;
    for (const auto& member : value.as_object()) {
      out += indent + json::serialize(json::string(member.key())) + ": ";
      PrettyInto(member.value(), depth + 1, out);
      out += ++i < value.as_object().size() ? ",\n" : "\n";
    }
    out += closing + "}";
  } else if (value.is_array() && !value.as_array().empty()) {
    out += "[\n";
    size_t i = 0;
    for (const auto& item : value.as_array()) {
      out += indent;
      PrettyInto(item, depth + 1, out);
      out += ++i < value.as_array().size() ? ",\n" : "\n";
    }
    out += closing + "]";
  } else {
    out += json::serialize(value);
  }
}

}  // namespace

std::string Pretty(const json::value& value) {
  std::string out;
  PrettyInto(value, 0, out);
  return out + "\n";
}

}  // namespace stashform::testing
