#include "emulators/packagist/auth.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include "base/base64.h"

namespace stashform::emulator::packagist {

namespace {

/// PHP's rawurlencode.
std::string RawUrlEncode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool unreserved = std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) out += static_cast<char>(c);
    else out += {'%', kHex[c >> 4], kHex[c & 15]};
  }
  return out;
}

/// "k=v" pairs in byte order of k, each side raw-url-encoded, joined with '&'.
std::string BuildQuery(std::multimap<std::string, std::string> params) {
  std::string out;
  for (const auto& [key, value] : params) out += (out.empty() ? "" : "&") + RawUrlEncode(key) + "=" + RawUrlEncode(value);
  return out;
}

/// The header's `Name=value` fields.
std::map<std::string, std::string> HeaderFields(const std::string& header) {
  std::map<std::string, std::string> fields;
  size_t pos = header.find(' ');
  while (pos != std::string::npos && pos < header.size()) {
    size_t start = header.find_first_not_of(", ", pos);
    if (start == std::string::npos) break;
    size_t eq = header.find('=', start);
    if (eq == std::string::npos) break;
    size_t end = header.find(',', eq);
    fields[header.substr(start, eq - start)] = header.substr(eq + 1, end == std::string::npos ? std::string::npos : end - eq - 1);
    pos = end;
  }
  return fields;
}

SignatureVerdict Refused(SignatureVerdict verdict, std::string reason) {
  verdict.reason = std::move(reason);
  return verdict;
}

std::string QueryOf(const std::string& target) {
  auto question = target.find('?');
  return question == std::string::npos ? "" : target.substr(question + 1);
}

}  // namespace

std::string SignatureOf(const std::string& secret, const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(text.data()),
       text.size(), digest, &length);
  return Base64Encode(std::string(reinterpret_cast<const char*>(digest), length));
}

std::string SignedText(const std::string& method, const std::string& host, const std::string& path,
                       const std::string& query, const std::string& body, const std::string& key,
                       const std::string& timestamp, const std::string& cnonce) {
  std::multimap<std::string, std::string> params{{"key", key}, {"timestamp", timestamp}, {"cnonce", cnonce}, {"version", "2"}};
  if (!query.empty()) {
    std::multimap<std::string, std::string> query_params;
    for (const auto& [name, value] : ParseQuery(query)) query_params.emplace(name, value);
    if (std::string normalized = BuildQuery(query_params); !normalized.empty()) params.emplace("query", normalized);
  }
  if (!body.empty()) params.emplace("body", body);
  return method + "\n" + host + "\n" + path + "\n" + BuildQuery(params);
}

SignatureVerdict VerifySignature(State& state, const Request& request, std::int64_t now_seconds) {
  SignatureVerdict verdict;
  const std::string header = request.Header("authorization").value_or("");
  if (header.rfind("PACKAGIST-HMAC-SHA256 ", 0) != 0) {
    return Refused(verdict, header.empty() ? "no Authorization header" : "not a PACKAGIST-HMAC-SHA256 Authorization header");
  }
  auto fields = HeaderFields(header);
  verdict.key = fields["Key"];
  auto secret = state.model.api_keys.find(verdict.key);
  if (secret == state.model.api_keys.end()) return Refused(verdict, "unknown API key");
  if (fields["Version"] != "2") return Refused(verdict, "signature version is not 2");
  std::int64_t timestamp = 0;
  try {
    timestamp = std::stoll(fields["Timestamp"]);
  } catch (const std::exception&) {
    return Refused(verdict, "timestamp is not a number");
  }
  if (std::llabs(now_seconds - timestamp) > state.settings.timestamp_window)
    return Refused(verdict, "timestamp " + std::to_string(now_seconds - timestamp) + " s off (window " +
                            std::to_string(state.settings.timestamp_window) + " s)");
  const std::string cnonce = fields["Cnonce"];
  if (cnonce.empty()) return Refused(verdict, "no cnonce");
  std::string host = request.Header("host").value_or("");
  if (!host.empty() && host.front() == '[') host = host.substr(0, host.find(']') + 1);
  else host = host.substr(0, host.find(':'));
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::string text = SignedText(request.method, host, request.path, QueryOf(request.target), request.body,
                                      verdict.key, fields["Timestamp"], cnonce);
  if (SignatureOf(secret->second, text) != fields["Signature"]) return Refused(verdict, "signature mismatch");
  // Forget cnonces that left the window; a cnonce inside it may be used once.
  std::erase_if(state.cnonces, [&](const auto& seen) { return now_seconds - seen.second > 2 * state.settings.timestamp_window; });
  if (!state.cnonces.emplace(cnonce, timestamp).second) return Refused(verdict, "cnonce reused");
  verdict.valid = true;
  verdict.reason = "valid";
  return verdict;
}

}  // namespace stashform::emulator::packagist
