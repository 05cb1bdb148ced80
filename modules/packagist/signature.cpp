#include "modules/packagist/signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "base/base64.h"

namespace stashform::packagist {

namespace {

using Pair = std::pair<std::string, std::string>;

std::string JoinPairs(std::vector<Pair> pairs) {
  // PHP's uksort with strcmp: byte order of the names; equal names keep their order.
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [name, value] : pairs)
    out += (out.empty() ? "" : "&") + Rfc3986Encode(name) + "=" + Rfc3986Encode(value);
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// A query component decoded as PHP's parse_str decodes it ('+' is a space, %XX a byte).
std::string QueryDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string Rfc3986Encode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string NormalizedQuery(std::string_view query) {
  std::vector<Pair> pairs;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view part = query.substr(start, end - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      pairs.emplace_back(QueryDecode(part.substr(0, eq)),
                         eq == std::string_view::npos ? "" : QueryDecode(part.substr(eq + 1)));
    }
    start = end + 1;
  }
  return JoinPairs(std::move(pairs));
}

std::string StringToSign(const SignedRequest& request, const SignatureParams& params) {
  std::vector<Pair> pairs = {{"key", params.key}, {"timestamp", params.timestamp}, {"cnonce", params.cnonce},
                             {"version", "2"}};
  if (std::string query = NormalizedQuery(request.query); !query.empty()) pairs.emplace_back("query", query);
  if (!request.body.empty()) pairs.emplace_back("body", request.body);
  return request.method + "\n" + request.host + "\n" + request.path + "\n" + JoinPairs(std::move(pairs));
}

std::string Sign(std::string_view secret, std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(text.data()),
       text.size(), digest, &length);
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string AuthorizationHeader(const SignedRequest& request, const SignatureParams& params, std::string_view secret) {
  return "PACKAGIST-HMAC-SHA256 Key=" + params.key + ", Timestamp=" + params.timestamp + ", Cnonce=" + params.cnonce +
         ", Version=2, Signature=" + Sign(secret, StringToSign(request, params));
}

std::string NewCnonce() {
  unsigned char bytes[20];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // Without randomness a nonce could repeat: the server would refuse it, never accept a replay.
    std::fill(std::begin(bytes), std::end(bytes), 0);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += {kHex[c >> 4], kHex[c & 0xf]};
  return out;
}

}  // namespace stashform::packagist
