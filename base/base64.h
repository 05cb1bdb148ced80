#pragma once
// Base64 (RFC 4648 §4) and its URL-safe form (§5): the one copy the client, the state store and
// the emulators use. Encoding only; no I/O.

#include <optional>
#include <string>
#include <string_view>

namespace stashform {

/// Padded standard base64 of `bytes`.
std::string Base64Encode(std::string_view bytes);
/// Encodes onto the end of `out`, so a large payload is not held twice more.
void AppendBase64(std::string& out, std::string_view bytes);
/// The bytes of padded standard base64, or nothing when `text` is not that.
std::optional<std::string> Base64Decode(std::string_view text);

/// URL-safe base64 without padding, as JWTs use.
std::string Base64UrlEncode(std::string_view bytes);
/// The bytes of URL-safe base64 with or without padding, or nothing when `text` is not that.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace stashform
