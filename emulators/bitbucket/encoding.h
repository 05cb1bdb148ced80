#pragma once
// Byte encodings the wire needs: Basic auth and token values (base64), delivery signatures (HMAC).

#include <optional>
#include <string>

namespace stashform::emulator {

std::string Base64Encode(const std::string& bytes);
std::optional<std::string> Base64Decode(const std::string& text);
/// Lower-case hex HMAC-SHA256 of message under key, as X-Hub-Signature carries it.
std::string HmacSha256Hex(const std::string& key, const std::string& message);

}  // namespace stashform::emulator
