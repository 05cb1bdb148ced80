#pragma once
// The emulator's session tokens: JWTs shaped like Spacelift's (aud = the API base URL, sub =
// "api::<key id>"), signed with HS256 under a key that lives only in this process.

#include "base/base64.h"
#include "emulators/spacelift/model.h"

#include <optional>
#include <string>

namespace stashform::emulator::spacelift {

std::string IssueJwt(const State& state, const std::string& key_id);

/// The API key id a bearer token was issued to, or nullopt with `why` set when the token is
/// malformed, not ours, for another audience, expired, or revoked.
std::optional<std::string> VerifyJwt(const State& state, const std::string& token, std::string* why);

using stashform::Base64UrlDecode;
using stashform::Base64UrlEncode;
std::string HmacSha256(const std::string& key, const std::string& message);  // raw bytes

}  // namespace stashform::emulator::spacelift
