// Checking bodies against schemas, without Lua.

#include "dsl/body_check.h"

#include <gtest/gtest.h>

#include "tests/dsl/test_schemas.h"

namespace stashform::dsl {
namespace {

Value::Map ValidWebhook() {
  return {{"project", "P"}, {"repository", "r"}, {"name", "n"}, {"url", "https://h"},
          {"events", Value::StringList({"pr:opened"})}};
}

TEST(CheckAttributes, AValidBodyHasNoProblems) {
  Value::Map body = ValidWebhook();
  EXPECT_TRUE(CheckAttributes(testing::WebhookSchema(), body).empty());
}

TEST(CheckAttributes, AllowedValuesListedWhenNothingIsClose) {
  Value::Map body = ValidWebhook();
  body["events"] = Value::StringList({"zzzzzzzzzzzzzzzz"});
  auto problems = CheckAttributes(testing::WebhookSchema(), body);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message, "events[1]: invalid value \"zzzzzzzzzzzzzzzz\"");
  EXPECT_EQ(problems[0].hint.rfind("expected one of \"repo:refs_changed\", ", 0), 0u) << problems[0].hint;
}

TEST(CheckAttributes, EmptyTableIsAnEmptyMapWhereAMapIsExpected) {
  Value::Map body = ValidWebhook();
  body["labels"] = Value(Value::List{});
  EXPECT_TRUE(CheckAttributes(testing::WebhookSchema(), body).empty());
  EXPECT_TRUE(body["labels"].is_map());
}

TEST(CheckAttributes, SensitiveMarkSurvivesNormalisation) {
  Value::Map body = ValidWebhook();
  body["retries"] = Value::Sensitive(Value(2.0));
  EXPECT_TRUE(CheckAttributes(testing::WebhookSchema(), body).empty());
  EXPECT_TRUE(body["retries"].is_int());
  EXPECT_TRUE(body["retries"].sensitive());
}

TEST(ReadLifecycle, ReadsEveryRule) {
  Lifecycle lifecycle;
  Value rules(Value::Map{{"prevent_destroy", true}, {"create_before_destroy", true}, {"destroy", false},
                         {"ignore_changes", Value::StringList({"active", "events"})}});
  EXPECT_TRUE(ReadLifecycle(testing::WebhookSchema(), rules, &lifecycle).empty());
  EXPECT_TRUE(lifecycle.prevent_destroy);
  EXPECT_TRUE(lifecycle.create_before_destroy);
  EXPECT_FALSE(lifecycle.destroy);
  EXPECT_EQ(lifecycle.ignore_changes, (std::vector<std::string>{"active", "events"}));
}

}  // namespace
}  // namespace stashform::dsl
