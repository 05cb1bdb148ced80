#include "emulators/spacelift/jwt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>

namespace stashform::emulator::spacelift {

namespace json = boost::json;

namespace {

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string HmacSha256(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &length);
  return std::string(reinterpret_cast<char*>(digest), length);
}

std::string IssueJwt(const State& state, const std::string& key_id) {
  std::int64_t now = NowSeconds();
  json::object claims{{"aud", json::array{json::value(state.base_url)}},
                      {"exp", now + state.settings.jwt_ttl_seconds},
                      {"iat", now},
                      {"iss", state.base_url},
                      {"sub", "api::" + key_id},
                      {"gen", state.token_generation}};
  std::string signing_input = Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + "." +
                              Base64UrlEncode(json::serialize(claims));
  return signing_input + "." + Base64UrlEncode(HmacSha256(state.signing_key, signing_input));
}

std::optional<std::string> VerifyJwt(const State& state, const std::string& token, std::string* why) {
  auto first = token.find('.');
  auto second = first == std::string::npos ? std::string::npos : token.find('.', first + 1);
  if (second == std::string::npos) return *why = "malformed token", std::nullopt;
  std::string expected = Base64UrlEncode(HmacSha256(state.signing_key, token.substr(0, second)));
  std::string signature = token.substr(second + 1);
  if (signature.size() != expected.size() || CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0)
    return *why = "token signature is invalid", std::nullopt;
  auto claims_text = Base64UrlDecode(token.substr(first + 1, second - first - 1));
  boost::system::error_code ec;
  json::value claims = claims_text ? json::parse(*claims_text, ec) : json::value();
  if (!claims_text || ec || !claims.is_object()) return *why = "malformed token claims", std::nullopt;
  const auto& object = claims.as_object();
  auto* aud = object.if_contains("aud");
  bool audience_ok = aud && aud->is_array() && aud->as_array().size() == 1 &&
                     aud->as_array()[0] == json::value(state.base_url);
  if (!audience_ok) return *why = "token is for another audience", std::nullopt;
  auto* exp = object.if_contains("exp");
  if (!exp || !exp->is_int64() || exp->as_int64() <= NowSeconds()) return *why = "token expired", std::nullopt;
  auto* generation = object.if_contains("gen");
  if (!generation || !generation->is_int64() || static_cast<std::uint64_t>(generation->as_int64()) != state.token_generation)
    return *why = "token revoked", std::nullopt;
  auto* sub = object.if_contains("sub");
  if (!sub || !sub->is_string() || sub->as_string().subview().substr(0, 5) != "api::")
    return *why = "token has no API key subject", std::nullopt;
  return std::string(sub->as_string().subview().substr(5));
}

}  // namespace stashform::emulator::spacelift
