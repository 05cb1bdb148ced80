// The one Base64: RFC 4648 test vectors for both alphabets, and what is refused.

#include "base/base64.h"

#include <gtest/gtest.h>

namespace stashform {
namespace {

TEST(Base64, EncodesAndDecodesTheRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    EXPECT_EQ(Base64Decode(encoded), std::optional<std::string>(plain)) << encoded;
  }
}

TEST(Base64, KeepsBinaryBytesAndAppends) {
  const std::string bytes("\0\xff\xfe\x01", 4);
  std::string out = "prefix:";
  AppendBase64(out, bytes);
  EXPECT_EQ(out, "prefix:AP/+AQ==");
  EXPECT_EQ(Base64Decode("AP/+AQ=="), bytes);
}

TEST(Base64, RefusesWhatIsNotPaddedBase64) {
  EXPECT_EQ(Base64Decode("Zm9"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9v!A=="), std::nullopt);
}

TEST(Base64Url, UsesTheUrlAlphabetWithoutPadding) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(Base64Encode(bytes), "+/+/");
  EXPECT_EQ(Base64UrlEncode(bytes), "-_-_");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlDecode("-_-_"), bytes);
  EXPECT_EQ(Base64UrlDecode("Zg"), std::optional<std::string>("f"));
  EXPECT_EQ(Base64UrlDecode("Zg=="), std::optional<std::string>("f"));
}

TEST(Base64Url, RefusesTheStandardAlphabetAndImpossibleLengths) {
  EXPECT_EQ(Base64UrlDecode("+/+/"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm9vY"), std::nullopt);
}

}  // namespace
}  // namespace stashform
