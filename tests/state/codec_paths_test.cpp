#include "state/codec_paths.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace stashform::state {
namespace {

Value::Map Nested() {
  return Value::Map{
      {"secret", Value::Sensitive("s")},
      {"credentials", Value::Map{{"user", "ci"}, {"password", Value::Sensitive("p")}}},
      {"headers", Value::List{Value("plain"), Value::Sensitive("bearer x")}},
      {"labels", Value::Map{{"a.b", Value::Sensitive("dotted")}, {"", Value::Sensitive("empty")}}},
      {"whole", Value::Sensitive(Value::Map{{"inner", Value::Sensitive("covered")}})},
      {"plain", "visible"},
  };
}

TEST(SensitivePaths, ListsTheOutermostMarkOfEachSecret) {
  EXPECT_EQ(SensitivePaths(Nested()),
            (std::vector<std::string>{"credentials.password", "headers[1]", "labels[\"\"]", "labels[\"a.b\"]",
                                      "secret", "whole"}));
}

TEST(SensitivePaths, MarkingEachListedPathRestoresTheMarks) {
  Value::Map original = Nested();
  Value::Map restored = Value::FromJson(Value(original).ToJson()).as_map();  // the marks do not survive JSON
  ASSERT_FALSE(Value(restored).ContainsSensitive());
  for (const auto& path : SensitivePaths(original)) EXPECT_TRUE(MarkSensitivePath(restored, path)) << path;
  EXPECT_EQ(SensitivePaths(restored), SensitivePaths(original));
  EXPECT_FALSE(restored.at("credentials").as_map().at("user").sensitive());
  EXPECT_FALSE(restored.at("plain").sensitive());
}

TEST(SensitivePaths, RejectsMalformedPathsAndPathsToNothing) {
  for (const std::string path :
       {"", ".secret", "missing", "credentials.nope", "headers[7]", "headers[x]", "headers[]", "labels[\"a.b",
        "secret.deeper", "[0]", "credentials..password"}) {
    Value::Map map = Nested();
    EXPECT_FALSE(MarkSensitivePath(map, path)) << path;
  }
}

}  // namespace
}  // namespace stashform::state
