// YamlDocument: what stashform writes back must read again.

#include "modules/backstage/yaml_document.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stashform::backstage {
namespace {

// backstage_yaml_fuzz's finding (fuzz/corpus/backstage_yaml_fuzz/regression-long-escaped-key):
// a quoted key of 300 bytes, NULs and invalid UTF-8 among them, was written as a simple key of
// about 1,200 characters (each NUL as \x00), over YAML's limit of 1,024, and reading it back
// failed with "illegal map value".
TEST(YamlDocument, AKeyLongerThanASimpleKeyMayBeOnceEscapedIsWrittenSoThatItReadsBack) {
  auto document = YamlDocument::Parse("app:\n\"title " + std::string(300, '\0') + "\xff\xff end\": 1\n", "app-config.yaml");
  ASSERT_TRUE(document.ok()) << document.message();
  const std::string written = document->Emit();
  auto again = YamlDocument::Parse(written, "app-config.yaml");
  ASSERT_TRUE(again.ok()) << again.message() << "\n" << written;
  EXPECT_EQ(written.find("? \"title \\x00"), written.find('\n') + 1) << written;
  std::vector<std::string> keys;
  for (const auto& item : again->root()) keys.push_back(item.first.Scalar());
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0], "app");
  EXPECT_EQ(keys[1], "title " + std::string(300, '\0') + "\uFFFD\uFFFD end") << "invalid bytes read back as U+FFFD";
}

// backstage_yaml_fuzz's regression-invalid-utf8-plain-key: a plain key starting with the bytes
// FE FF was written as it was, and the file read back as UTF-16 (not a mapping).
TEST(YamlDocument, TextThatIsNotUtf8IsWrittenDoubleQuotedSoThatTheFileReadsBack) {
  auto document = YamlDocument::Parse("# comment\n\xfe\xffvents: 1\nkey: \"a\\x01b\"\n", "app-config.yaml");
  ASSERT_TRUE(document.ok()) << document.message();
  const std::string written = document->Emit();
  EXPECT_EQ(written, "\"\uFFFD\uFFFDvents\": 1\nkey: \"a\\x01b\"\n");
  auto again = YamlDocument::Parse(written, "app-config.yaml");
  ASSERT_TRUE(again.ok()) << again.message() << "\n" << written;
  EXPECT_EQ(YamlDocument::At(again->root(), {"\uFFFD\uFFFDvents"})->Scalar(), "1");
  EXPECT_EQ(YamlDocument::At(again->root(), {"key"})->Scalar(), "a\x01" "b");
}

TEST(YamlDocument, AnOrdinaryLongKeyStaysASimpleKey) {
  const std::string key(600, 'k');
  auto document = YamlDocument::Parse(key + ": 1\n", "app-config.yaml");
  ASSERT_TRUE(document.ok()) << document.message();
  EXPECT_EQ(document->Emit(), key + ": 1\n");
}

// What a reader would take for null, a boolean or a number is written quoted when it is a string;
// the rest is left to yaml-cpp, which writes these plain (it quotes "-" on its own).
TEST(YamlDocument, AStringThatWouldReadAsAnotherTypeIsQuotedAndNoOtherIs) {
  for (const std::string text : {"", "~", "null", "NULL", "True", "no", "Y", "off", "30", "-1.5", "+.5", "1.", "1e5",
                                 "2E-3", "0o17", "0x1F", ".inf", "-.Inf", "+.INF", ".NaN"}) {
    YamlDocument document;
    YamlDocument::Set(document.root(), {"k"}, StringNode(text));
    EXPECT_EQ(document.Emit(), "k: \"" + text + "\"\n") << text;
  }
  for (const std::string text : {"hello", "1.2.3", "0x", "0o8", "0xG", "e5", "1e", "+", ".", "..inf", "-.nan",
                                 "nan", "yess", "1_000", ".5e", "1e+", "v1"}) {
    YamlDocument document;
    YamlDocument::Set(document.root(), {"k"}, StringNode(text));
    EXPECT_EQ(document.Emit(), "k: " + text + "\n") << text;
  }
}

// The check was a std::regex, whose matcher recursed once per character: a string of 100,000
// digits ended the process with SIGSEGV.
TEST(YamlDocument, AStringOfManyDigitsIsWrittenQuotedAndReadsBack) {
  const std::string digits(100'000, '7');
  YamlDocument document;
  YamlDocument::Set(document.root(), {"k"}, StringNode(digits));
  const std::string written = document.Emit();
  EXPECT_EQ(written, "k: \"" + digits + "\"\n");
  auto again = YamlDocument::Parse(written, "app-config.yaml");
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_EQ(YamlDocument::At(again->root(), {"k"})->Scalar(), digits);
}

}  // namespace
}  // namespace stashform::backstage
