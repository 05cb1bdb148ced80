#pragma once
// Digests stand in for secrets wherever a secret must be compared but never shown or stored.

#include <string>
#include <string_view>

namespace stashform {

/// Lower-case hex SHA-256 of the bytes.
std::string Sha256Hex(std::string_view bytes);

/// "sha256:<hex>": the form in which state and saved plans keep write-only secrets.
std::string SecretDigest(std::string_view secret);

/// True for a string in the SecretDigest form.
bool IsSecretDigest(std::string_view text);

}  // namespace stashform
