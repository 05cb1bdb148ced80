// backstage.app_config's attribute checks, which `validate` runs on whatever a config holds: a
// bad value is an error with a way out, and no value crashes the process.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "modules/backstage/app_config.h"

namespace stashform::backstage {
namespace {

// What `validate` says of `value` as attribute `name` ("" when it passes).
std::string Check(const std::string& name, const std::string& value) {
  const auto& attributes = AppConfigSchema().attributes;
  auto attr = std::find_if(attributes.begin(), attributes.end(), [&](const auto& a) { return a.name == name; });
  if (attr == attributes.end() || !attr->check) return "no check for " + name;
  return attr->check(Value(value));
}

// How a refusal of a number too long to read begins: its first digit's place, and its length.
std::string NumberRefusal(int character, int digits) {
  return "not checked as a regular expression: the number at character " + std::to_string(character) + " has " +
         std::to_string(digits) + " digits";
}

TEST(AppConfigSchema, APatternIsCheckedAsARegularExpression) {
  EXPECT_EQ(Check("project_key_pattern", "^(PLAT|WEB)$"), "");
  EXPECT_EQ(Check("repo_slug_pattern", "^svc-[a-z]{2,20}\\d{1,3}$"), "");
  EXPECT_EQ(Check("repo_slug_pattern", "(unclosed").rfind("not a valid regular expression: ", 0), 0u);
}

// dsl_loader_fuzz's finding: libstdc++ read the count into a long and overflowed (undefined
// behaviour, an abort under UBSan).
TEST(AppConfigSchema, ARepetitionCountOrBackReferenceTooLongToReadIsRefusedNotCompiled) {
  EXPECT_EQ(Check("project_key_pattern", "^a{1111111111111111111}$"),
            "not checked as a regular expression: the number at character 4 has 19 digits (a repetition count or a "
            "back-reference takes at most 9)");
  EXPECT_EQ(Check("project_key_pattern", "a{1,99999999999999999999}").rfind(NumberRefusal(5, 20), 0), 0u);
  EXPECT_EQ(Check("repo_slug_pattern", "(a)\\12345678901234567890").rfind(NumberRefusal(5, 20), 0), 0u);
  // Digits that are no count are text: in a class, escaped, or after a comma outside braces.
  EXPECT_EQ(Check("repo_slug_pattern", "^release-12345678901234,[{]12345678901234\\{12345678901234$"), "");
}

// `\cX` takes X whatever it is (libstdc++), so what follows is read as the compiler reads it:
// dsl_loader_fuzz's regression-regex-control-escape-takes-a-backslash.
TEST(AppConfigSchema, AControlEscapeTakesTheCharacterAfterItAsTheCompilerDoes) {
  // \c takes the next backslash: the one after it starts a back-reference of 20 digits.
  EXPECT_EQ(Check("project_key_pattern", "^\\c\\\\11111111111111111111$").rfind(NumberRefusal(6, 20), 0), 0u);
  // \c takes the bracket: no class opens, and the braces are a count.
  EXPECT_EQ(Check("repo_slug_pattern", "\\c[a{11111111111111111111}").rfind(NumberRefusal(6, 20), 0), 0u);
  EXPECT_EQ(Check("repo_slug_pattern", "^\\cJ\\\\1234567890123$"), "");
}

// The checker must read a pattern as libstdc++ does wherever a number can start. Every sequence of
// up to five of these pieces goes through it; what it passes is compiled, and in the sanitizer
// build (CI's second half) a 20-digit number read by libstdc++ aborts this test (it found the \c
// slip above in a fraction of a second; run to length 6 by hand, 17.9 million patterns, none).
TEST(AppConfigSchema, EveryShortPatternOfTheTrickyPiecesIsRefusedOrCompiledWithoutOverflow) {
  const std::vector<std::string> pieces = {"\\", "c", "[", "]", "{", ",", "}", "a", std::string(20, '1')};
  size_t refused = 0, passed = 0, invalid = 0;
  std::vector<size_t> at;
  for (size_t length = 1; length <= 5; ++length) {
    at.assign(length, 0);
    for (bool more = true; more;) {
      std::string pattern;
      for (size_t piece : at) pattern += pieces[piece];
      std::string said = Check("repo_slug_pattern", pattern);
      if (said.empty()) ++passed;
      else if (said.rfind("not checked as a regular expression: ", 0) == 0) ++refused;
      else if (said.rfind("not a valid regular expression: ", 0) == 0) ++invalid;
      else ADD_FAILURE() << pattern << ": " << said;
      more = false;
      for (size_t k = length; k-- > 0 && !more;) more = ++at[k] < pieces.size() || (at[k] = 0, false);
    }
  }
  EXPECT_EQ(refused + passed + invalid, 66'429u);  // 9 + 81 + 729 + 6,561 + 59,049
  EXPECT_GT(refused, 0u);
  EXPECT_GT(passed, 0u);
}

// libstdc++'s parser recurses once per term: before, these ended the process with SIGSEGV.
TEST(AppConfigSchema, APatternLongerThanTheCheckerTakesIsRefusedNotCompiled) {
  EXPECT_EQ(Check("project_key_pattern", std::string(100'000, 'a')),
            "not checked as a regular expression: a pattern of 100000 characters; stashform checks patterns of up "
            "to 2048 (match with a shorter expression, e.g. a common prefix)");
  EXPECT_EQ(Check("repo_slug_pattern", std::string(50'000, '(') + std::string(50'000, ')'))
                .rfind("not checked as a regular expression: a pattern of 100000 characters", 0),
            0u);
  EXPECT_EQ(Check("repo_slug_pattern", std::string(2048, 'a')), "");
}

// A std::regex matched the name before, and its matcher recursed once per character.
TEST(AppConfigSchema, AnEnvironmentVariableNameOfAnyLengthIsCheckedWithoutACrash) {
  EXPECT_EQ(Check("token_env", "BITBUCKET_TOKEN_2"), "");
  EXPECT_EQ(Check("token_env", "_x"), "");
  EXPECT_EQ(Check("token_env", std::string(200'000, 'A')), "");
  EXPECT_EQ(Check("password_env", std::string(200'000, 'A') + "-"),
            "expected an environment variable name, e.g. BITBUCKET_TOKEN");
  EXPECT_EQ(Check("client_secret_env", "2FA"), "expected an environment variable name, e.g. BITBUCKET_TOKEN");
  EXPECT_EQ(Check("client_secret_env", ""), "expected an environment variable name, e.g. BITBUCKET_TOKEN");
}

}  // namespace
}  // namespace stashform::backstage
