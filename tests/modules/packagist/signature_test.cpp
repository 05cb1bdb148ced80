// The request signature pinned against vectors computed by hand from the algorithm of Packagist's
// PHP client: the string to sign written out below, its HMAC computed from the shell with
//   printf '%s' "$STRING" | openssl dgst -sha256 -hmac packagist_acs_secret -binary | base64

#include <gtest/gtest.h>

#include "modules/packagist/signature.h"

namespace stashform::packagist {
namespace {

constexpr const char* kSecret = "packagist_acs_secret";

TEST(PackagistSignature, APostWithABodySignsMethodHostPathAndTheSortedEncodedParameters) {
  SignedRequest request{"POST", "packagist.com", "/api/packages/", "",
                        R"({"repoType":"vcs","repoUrl":"https://bitbucket.example.com/scm/infra/api.git","credentials":12})"};
  SignatureParams params{"packagist_ack_test", "1700000000", "0123456789abcdef0123456789abcdef01234567"};
  const std::string expected_string =
      "POST\npackagist.com\n/api/packages/\n"
      "body=%7B%22repoType%22%3A%22vcs%22%2C%22repoUrl%22%3A%22https%3A%2F%2Fbitbucket.example.com%2Fscm%2Finfra%2F"
      "api.git%22%2C%22credentials%22%3A12%7D"
      "&cnonce=0123456789abcdef0123456789abcdef01234567&key=packagist_ack_test&timestamp=1700000000&version=2";
  EXPECT_EQ(StringToSign(request, params), expected_string);
  EXPECT_EQ(Sign(kSecret, expected_string), "CsPW2LKaV+cq2h2awWKXqIZkH1hbqMr05nlpnjIcI9g=");
  EXPECT_EQ(AuthorizationHeader(request, params, kSecret),
            "PACKAGIST-HMAC-SHA256 Key=packagist_ack_test, Timestamp=1700000000, "
            "Cnonce=0123456789abcdef0123456789abcdef01234567, Version=2, "
            "Signature=CsPW2LKaV+cq2h2awWKXqIZkH1hbqMr05nlpnjIcI9g=");
}

TEST(PackagistSignature, AGetWithAQuerySignsTheQuerySortedAndEncodedAndNoBody) {
  SignedRequest request{"GET", "packagist.com", "/api/packages/", "page=2&limit=50", ""};
  SignatureParams params{"packagist_ack_test", "1700000100", std::string(40, 'f')};
  const std::string expected_string =
      "GET\npackagist.com\n/api/packages/\n"
      "cnonce=ffffffffffffffffffffffffffffffffffffffff&key=packagist_ack_test&query=limit%3D50%26page%3D2"
      "&timestamp=1700000100&version=2";
  EXPECT_EQ(StringToSign(request, params), expected_string);
  EXPECT_EQ(Sign(kSecret, expected_string), "HyyLDF0xDC7xX70VyCoSs+Te6IArNgOBHKgCtBqmU9g=");
}

TEST(PackagistSignature, Rfc3986KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(Rfc3986Encode("aZ09-_.~"), "aZ09-_.~");
  EXPECT_EQ(Rfc3986Encode("a b+c/é"), "a%20b%2Bc%2F%C3%A9");
}

TEST(PackagistSignature, TheQueryIsDecodedThenSortedAndEncodedAgain) {
  EXPECT_EQ(NormalizedQuery("b=2&a=x+y&c"), "a=x%20y&b=2&c=");
  EXPECT_EQ(NormalizedQuery("q=%7e%2F"), "q=~%2F");
  EXPECT_EQ(NormalizedQuery(""), "");
}

TEST(PackagistSignature, EveryCnonceIsFortyHexDigitsAndNew) {
  std::string first = NewCnonce(), second = NewCnonce();
  EXPECT_EQ(first.size(), 40u);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(first, second);
}

}  // namespace
}  // namespace stashform::packagist
