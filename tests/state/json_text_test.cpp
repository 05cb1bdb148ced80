#include "state/json_text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

namespace stashform::state {
namespace {

std::string Written(std::string_view text) {
  PrettyWriter writer;
  writer.String(text);
  std::string out = writer.Take();
  out.pop_back();  // the newline Take ends with
  return out;
}

// How JSON spells byte `c` inside a string, as the state files have always had it.
std::string Escaped(unsigned char c) {
  switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\r': return "\\r";
  }
  if (c >= 0x20) return std::string(1, static_cast<char>(c));
  static const char kHex[] = "0123456789abcdef";
  return std::string("\\u00") + kHex[c >> 4] + kHex[c & 0xf];
}

// The writer skips clean text eight bytes at a time: a byte to escape must be found at every
// position of a word, in a string's head, middle and tail.
TEST(PrettyWriter, EscapesEachByteJsonEscapesWhereverItStandsAndNothingElse) {
  for (int byte = 0; byte < 0x80; ++byte) {
    for (size_t before = 0; before <= 17; ++before) {
      std::string text = std::string(before, 'a') + static_cast<char>(byte) + std::string(17 - before, 'b');
      std::string expected = "\"" + std::string(before, 'a') + Escaped(static_cast<unsigned char>(byte)) +
                             std::string(17 - before, 'b') + "\"";
      ASSERT_EQ(Written(text), expected) << "byte " << byte << " after " << before;
      ASSERT_EQ(boost::json::parse(Written(text)).as_string(), text) << "byte " << byte << " after " << before;
    }
  }
}

TEST(PrettyWriter, KeepsMultiByteCharactersAndRunsOfEscapes) {
  EXPECT_EQ(Written("caf\xc3\xa9 \xe2\x82\xac"), "\"caf\xc3\xa9 \xe2\x82\xac\"");
  EXPECT_EQ(Written("\"\"\\\n\n"), R"("\"\"\\\n\n")");
  EXPECT_EQ(Written(""), "\"\"");
  EXPECT_EQ(Written(std::string(64, 'x') + "\x01"), "\"" + std::string(64, 'x') + "\\u0001\"");
}

}  // namespace
}  // namespace stashform::state
