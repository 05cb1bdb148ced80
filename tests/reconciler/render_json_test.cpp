#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "reconciler/render/json.h"
#include "reconciler/render/markdown.h"

namespace stashform::render {
namespace {

namespace json = boost::json;
using engine::Action;

engine::Plan SamplePlan() {
  engine::Plan plan;
  engine::ResourceChange create;
  create.address = {"", "bitbucket.webhook", "INFRA/api"};
  create.action = Action::kCreate;
  create.after = {{"name", Value("ci")}, {"id", Value::UnknownValue()}, {"secret", Value::Sensitive(Value("hunter2"))}};
  engine::ResourceChange replace;
  replace.address = {"spl", "spacelift.integration", "corp"};
  replace.action = Action::kReplace;
  replace.create_before_destroy = true;
  replace.reasons = {"name: forces replacement"};
  replace.before = {{"name", Value("old")}};
  replace.after = {{"name", Value("new")}};
  replace.diffs = {{"name", Value("old"), Value("new"), true}};
  plan.changes = {create, replace};
  plan.drift.push_back({{"", "bitbucket.webhook", "INFRA/web"}, false, {{"active", Value(true), Value(false), false}}});
  return plan;
}

TEST(RenderJson, TheStreamedTextIsTheTreeSerialized) {
  engine::Plan plan = SamplePlan();
  plan.diagnostics.Error({}, "x", "y");
  EXPECT_EQ(RenderPlanJson(plan), json::serialize(PlanJson(plan)));
  EXPECT_EQ(RenderPlanJson(engine::Plan{}), json::serialize(PlanJson(engine::Plan{})));
}

TEST(RenderJson, OutputChangesHaveTerraformsShapeAndNoSecret) {
  engine::Plan plan = SamplePlan();
  plan.output_changes = {{"hook_id", Action::kCreate, Value(), Value::UnknownValue()},
                         {"token", Action::kUpdate, Value::Sensitive(Value("old-tok")), Value::Sensitive(Value("new-tok"))},
                         {"gone", Action::kDelete, Value("g"), Value()}};
  std::string text = RenderPlanJson(plan);
  EXPECT_EQ(text.find("-tok"), std::string::npos);
  json::object outputs = json::parse(text).at("output_changes").as_object();
  EXPECT_EQ(outputs.at("hook_id"), (json::object{{"actions", json::array{"create"}}, {"before", nullptr}, {"after", nullptr},
                                                 {"after_unknown", true}, {"before_sensitive", false},
                                                 {"after_sensitive", false}}));
  EXPECT_EQ(outputs.at("token").at("actions"), (json::array{"update"}));
  EXPECT_EQ(outputs.at("token").at("after"), nullptr);
  EXPECT_EQ(outputs.at("token").at("after_sensitive"), true);
  EXPECT_EQ(outputs.at("gone").at("actions"), (json::array{"delete"}));
  EXPECT_EQ(outputs.at("gone").at("before"), "g");
}

TEST(RenderJson, UsesTerraformsShowJsonFieldNames) {
  json::value out = json::parse(RenderPlanJson(SamplePlan()));
  EXPECT_EQ(out.at("format_version"), "1.2");
  const auto& create = out.at("resource_changes").at(0).as_object();
  EXPECT_EQ(create.at("address"), "bitbucket.webhook[\"INFRA/api\"]");
  EXPECT_EQ(create.at("mode"), "managed");
  EXPECT_EQ(create.at("type"), "bitbucket.webhook");
  EXPECT_EQ(create.at("name"), "INFRA/api");
  EXPECT_EQ(create.at("provider_name"), "bitbucket");
  const auto& change = create.at("change").as_object();
  EXPECT_EQ(change.at("actions"), (json::array{"create"}));
  EXPECT_TRUE(change.at("before").is_null());
  EXPECT_EQ(change.at("after").at("name"), "ci");
  EXPECT_TRUE(change.at("after").at("secret").is_null()) << "secrets never appear, not even in JSON";
  EXPECT_EQ(change.at("after_unknown"), (json::object{{"id", true}}));
  EXPECT_EQ(change.at("after_sensitive"), (json::object{{"secret", true}}));
  EXPECT_EQ(change.at("before_sensitive"), false);
  const auto& replace = out.at("resource_changes").at(1).as_object();
  EXPECT_EQ(replace.at("change").at("actions"), (json::array{"create", "delete"}));
  EXPECT_EQ(replace.at("module_address"), "module.spl");
  EXPECT_EQ(replace.at("action_reason"), "replace_because_cannot_update");
  // Parsed, not json::array{json::array{...}}: clang reads that as a copy of the inner array (CWG 1467).
  EXPECT_EQ(replace.at("change").at("replace_paths"), json::parse(R"([["name"]])"));
  const auto& drift = out.at("resource_drift").at(0).as_object();
  EXPECT_EQ(drift.at("change").at("actions"), (json::array{"update"}));
  EXPECT_EQ(drift.at("change").at("after").at("active"), false);
  EXPECT_EQ(RenderPlanJson(SamplePlan()).find("hunter2"), std::string::npos);
}

TEST(RenderMarkdown, SummaryTableDriftAndFoldedDetails) {
  std::string md = RenderPlanMarkdown(SamplePlan());
  EXPECT_EQ(md.rfind("### stashform plan: 2 to add, 0 to change, 1 to destroy\n\n"
                     "| action | resource | why |\n|---|---|---|\n"
                     "| `+ create` | `bitbucket.webhook[\"INFRA/api\"]` |  |\n"
                     "| `+/- replace` | `module.spl.spacelift.integration[\"corp\"]` | name: forces replacement |\n"
                     "\n#### Drift: 1 object changed outside stashform\n\n"
                     "- `bitbucket.webhook[\"INFRA/web\"]`: active\n",
                     0),
            0u)
      << md;
  EXPECT_NE(md.find("<details><summary>Show the full plan</summary>"), std::string::npos);
  EXPECT_NE(md.find("Plan: 2 to add, 0 to change, 1 to destroy."), std::string::npos);
  EXPECT_EQ(md.find("hunter2"), std::string::npos);
  engine::Plan outputs_only;
  outputs_only.output_changes = {{"url", Action::kUpdate, Value("a"), Value("b")}};
  EXPECT_NE(RenderPlanMarkdown(outputs_only).find("| `~ update` | `output.url` | output value |\n"), std::string::npos)
      << RenderPlanMarkdown(outputs_only);
  EXPECT_EQ(RenderPlanMarkdown(engine::Plan{}), "### stashform plan: no changes\n\nThe servers match the configuration.\n");
}

}  // namespace
}  // namespace stashform::render
