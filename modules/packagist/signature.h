#pragma once
// Packagist's request signature (PACKAGIST-HMAC-SHA256, version 2), as its PHP client
// (packagist/private-packagist-api-client, RequestSignature) computes it: pure functions of the
// request and the credentials, so that a test can pin them against a vector computed by hand.
// No I/O here; api.cpp adds a fresh timestamp and cnonce to every try.

#include <string>
#include <string_view>

namespace stashform::packagist {

/// SignedRequest is what the signature covers.
struct SignedRequest {
  std::string method;  // "GET"
  std::string host;    // the URL's host, without scheme or port: "packagist.com"
  std::string path;    // the URL's path, without query: "/api/credentials/"
  std::string query;   // the URL's query as sent, without '?'; "" for none
  std::string body;    // "" for none
};

/// The per-try values of the header.
struct SignatureParams {
  std::string key;        // the API key (packagist_ack_…); travels in clear in the header
  std::string timestamp;  // epoch seconds, decimal
  std::string cnonce;     // 40 lower-case hex digits, new for every try
};

/// Percent-encoding of RFC 3986 (PHP's rawurlencode): unreserved characters A-Z a-z 0-9 - _ . ~
/// stay, every other byte becomes %XX in upper case.
std::string Rfc3986Encode(std::string_view text);

/// The query's parameters sorted by name (byte order) and re-encoded with Rfc3986Encode, joined
/// with '&': "b=2&a=1" → "a=1&b=2". Parameters without '=' keep an empty value.
std::string NormalizedQuery(std::string_view query);

/// METHOD\nHOST\nPATH\n, then the parameters key, timestamp, cnonce, version=2, query (the
/// normalized query, when the URL has one) and body (when not empty), sorted by name in byte
/// order and written as name=value pairs with Rfc3986Encode, joined with '&'.
std::string StringToSign(const SignedRequest& request, const SignatureParams& params);

/// base64(HMAC-SHA256(secret, text)).
std::string Sign(std::string_view secret, std::string_view text);

/// `PACKAGIST-HMAC-SHA256 Key=…, Timestamp=…, Cnonce=…, Version=2, Signature=…`.
std::string AuthorizationHeader(const SignedRequest& request, const SignatureParams& params, std::string_view secret);

/// A fresh cnonce: 20 random bytes as 40 hex digits (OpenSSL's RAND_bytes).
std::string NewCnonce();

}  // namespace stashform::packagist
