#include "state/value_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "state/json_text.h"

namespace stashform::state {
namespace {

const char* kFile = "s.json";

// Boost.JSON's tree converted to Values: what the codec decoded before ParseValue existed.
Value ThroughBoostTree(const std::string& text) { return Value::FromJson(boost::json::parse(text)); }

class ValueReaderReadsAsBoostTree : public ::testing::TestWithParam<std::string> {};

TEST_P(ValueReaderReadsAsBoostTree, SameValue) {
  Result<Value> read = ParseValue(GetParam(), kFile);
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(*read, ThroughBoostTree(GetParam())) << read->RenderRevealed();
  EXPECT_EQ(read->kind(), ThroughBoostTree(GetParam()).kind());
}

INSTANTIATE_TEST_SUITE_P(
    EveryKind, ValueReaderReadsAsBoostTree,
    ::testing::Values(
        "null", "true", "false", "0", "-1", "42", R"("")", R"("plain text")", "[]", "{}",
        "9223372036854775807", "-9223372036854775808",
        "18446744073709551615",           // past int64: kept as its bits, as before
        "18446744073709551616",           // past uint64: a double
        "1.5", "-0.0", "1e308", "1e99999", "2.2250738585072014e-308", "123456789012345678901234567890",
        R"("quote \" backslash \\ slash \/ controls \b\f\n\r\t")",
        R"("\u0000 \u001f \u00e9 \u20ac")",  // escaped NUL and control bytes, Latin-1 and BMP letters
        R"("\ud83d\ude00 and raw é€😀")",      // a surrogate pair, and raw UTF-8
        R"({"b": 1, "a": [true, null, {"c": "d"}], "": {"": []}})",
        R"({"z": 1, "y": 2, "x": 3})",        // keys out of order
        R"({"k": 1, "k": 2})",                // a repeated key: the last counts
        R"([1, 2.5, "three", [4], {"five": 5}])",
        " \n\t{ \"spaced\" :\r\n [ ] } \n"));

// state_codec_fuzz's finding: Boost.JSON 1.81 read this long mantissa to a neighbour of the nearest
// double, and the text written for that neighbour read back as yet another double, so a state
// changed each time it was saved. The reader now rounds as strtod does, and what it writes reads
// back to the same number.
TEST(ValueReader, ALongNumberReadsAsTheNearestDoubleAndItsWrittenTextReadsBackTheSame) {
  const std::string text = "5777777777777555555555555555555555555555555555555555555555555555555555555555555555"
                           "555555555555555555555555555555555555555555555555555555557777";
  Result<Value> read = ParseValue(text, kFile);
  ASSERT_TRUE(read.ok()) << read.message();
  ASSERT_EQ(read->kind(), Value::Kind::kNumber);
  EXPECT_EQ(read->as_number(), std::strtod(text.c_str(), nullptr));

  std::string written = boost::json::serialize(boost::json::value(read->as_number()));
  Result<Value> again = ParseValue(written, kFile);
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_EQ(again->as_number(), read->as_number()) << written;
}

// Bad text fails with ParseJson's message: the same words at the same line and column.
class ValueReaderErrorsAsParseJson : public ::testing::TestWithParam<std::string> {};

TEST_P(ValueReaderErrorsAsParseJson, SameMessage) {
  Result<Value> read = ParseValue(GetParam(), kFile);
  Result<boost::json::value> tree = ParseJson(GetParam(), kFile);
  ASSERT_FALSE(tree.ok());
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.message(), tree.message());
}

INSTANTIATE_TEST_SUITE_P(
    Table, ValueReaderErrorsAsParseJson,
    ::testing::Values("", "   ", "{", "[1, 2", "{\"a\" 1}", "{\"a\": 1,}", "[1,]", "{} {}", "tru", "nul", "01",
                      "1.", "-", "1e", "\"unterminated", "\"bad \\q escape\"", "\"\\u12\"",
                      "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"raw \x01 control\"", "\"bad utf-8 \xff\"",
                      "\"truncated utf-8 \xc3\"", "{\"a\":\n  [1,\n   2\n  ]\n  \"b\": 3}", "[1] x",
                      "{\"a\": 1} // comment", "/* comment */ {}", "[NaN]", "[Infinity]", "{'a': 1}",
                      std::string(33, '[') + std::string(33, ']')));

// Maps are sorted vectors: the reader sorts an object's members once at its end, so keys out of
// order land in key order and, of a repeated key, the last one counts wherever it stands.
TEST(ValueReader, AnObjectOutOfKeyOrderIsSortedAndTheLastOfARepeatedKeyCounts) {
  Result<Value> read = ParseValue(R"({"z": 1, "k": "first", "a": {"y": 2, "b": 3}, "k": "last"})", kFile);
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(read->RenderRevealed(), R"({ a = { b = 3, y = 2 }, k = "last", z = 1 })");
  std::vector<std::string> keys;
  for (const auto& [key, value] : read->as_map()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "k", "z"}));
  EXPECT_EQ(MapOfEntries({{"b", 1}, {"a", 2}, {"b", 3}}), (Value::Map{{"a", 2}, {"b", 3}}));
}

// Small maps are sorted as indices and larger ones by std::stable_sort: both keep, of a repeated
// key, the last one, and both land in key order.
TEST(ValueReader, MapsOfAnySizeOutOfOrderKeepTheLastOfEachRepeatedKey) {
  for (int size : {2, 13, 31, 32, 33, 40}) {
    Value::Map::sequence_type entries;
    Value::Map expected;
    for (int i = size - 1; i >= 0; --i) entries.emplace_back("key" + std::to_string(100 + i), Value(int64_t{i}));
    for (int i = 0; i < size; i += 3) entries.emplace_back("key" + std::to_string(100 + i), Value("again " + std::to_string(i)));
    for (int i = 0; i < size; ++i)
      expected["key" + std::to_string(100 + i)] = i % 3 == 0 ? Value("again " + std::to_string(i)) : Value(int64_t{i});
    Value::Map map = MapOfEntries(std::move(entries));
    EXPECT_EQ(map, expected) << size << " keys";
    EXPECT_TRUE(std::is_sorted(map.begin(), map.end(), [](auto& a, auto& b) { return a.first < b.first; }));
  }
}

TEST(ValueReader, NestsUpToThirtyTwoLevelsAndRefusesDeeperWithThePlace) {
  std::string ok = std::string(32, '[') + std::string(32, ']');
  EXPECT_TRUE(ParseValue(ok, kFile).ok());
  std::string deep = "{\"a\":\n" + std::string(32, '[') + std::string(32, ']') + "}";
  Result<Value> read = ParseValue(deep, kFile);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.message(), "s.json:2:32: too deep");
}

TEST(ValueReader, HandsEachElementOfTheStreamedArrayToTakeAndKeepsWhatItLeaves) {
  std::vector<std::pair<size_t, std::string>> seen;
  StreamedArray streamed{"items", [&](const Value::Map& document, size_t index, Value& element) {
                           EXPECT_EQ(document.count("head"), 1u);  // members before the array are there
                           seen.emplace_back(index, element.RenderRevealed());
                           return index != 1;  // keeps the second
                         }};
  Result<Value> read =
      ParseValue(R"({"head": 1, "items": [{"a": 1}, 2, "three"], "nested": {"items": [9]}})", kFile, &streamed);
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(seen, (std::vector<std::pair<size_t, std::string>>{{0, "{ a = 1 }"}, {1, "2"}, {2, "\"three\""}}));
  EXPECT_EQ(read->as_map().at("items"), Value(Value::List{2}));
  EXPECT_EQ(read->as_map().at("nested").as_map().at("items"), Value(Value::List{9}));  // only the top level's
}

TEST(ValueReader, ARepeatedStreamedKeyStartsCountingAgain) {
  std::vector<size_t> indexes;
  StreamedArray streamed{"items", [&](const Value::Map&, size_t index, Value&) {
                           indexes.push_back(index);
                           return true;
                         }};
  int begun = 0;
  streamed.begin = [&] { ++begun; };
  ASSERT_TRUE(ParseValue(R"({"items": [1, 2], "items": [3], "items": []})", kFile, &streamed).ok());
  EXPECT_EQ(indexes, (std::vector<size_t>{0, 1, 0}));
  EXPECT_EQ(begun, 3);
}

}  // namespace
}  // namespace stashform::state
