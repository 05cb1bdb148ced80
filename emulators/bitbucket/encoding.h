#pragma once
// Byte encodings the wire needs: Basic auth and token values (base64), delivery signatures (HMAC).

#include <optional>
#include <string>

#include "base/base64.h"

namespace stashform::emulator {

using stashform::Base64Decode;
using stashform::Base64Encode;
/// Lower-case hex HMAC-SHA256 of message under key, as X-Hub-Signature carries it.
std::string HmacSha256Hex(const std::string& key, const std::string& message);

}  // namespace stashform::emulator
