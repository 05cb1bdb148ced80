#pragma once
// How a state store protects what it writes: the encryption key(s) and whether plaintext is refused.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace stashform::state {

/// EncryptionKey is a passphrase (stretched with PBKDF2-SHA512) or 32 raw key bytes.
struct EncryptionKey {
  enum class Kind { kPassphrase, kRaw };
  Kind kind = Kind::kPassphrase;
  std::string secret;  // the passphrase, or the 32 key bytes
  std::string origin;  // where it came from, for messages: "STASHFORM_STATE_PASSPHRASE"

  static EncryptionKey Passphrase(std::string text, std::string origin = "passphrase");
  static EncryptionKey Raw(std::string bytes, std::string origin = "raw key");
};

/// OWASP's 2023 figure for PBKDF2-HMAC-SHA512; recorded per file, so it can rise later.
constexpr int kDefaultPbkdf2Iterations = 210000;

struct StateStoreOptions {
  std::optional<EncryptionKey> key;      // writes are encrypted with it; reads try it first
  std::optional<EncryptionKey> old_key;  // rotation: reads fall back to it, writes use `key`
  bool enforce_encryption = false;       // refuse to read or write plaintext
  int pbkdf2_iterations = kDefaultPbkdf2Iterations;  // for files this run encrypts afresh
};

/// A raw key written as 64 hex digits or as base64 of 32 bytes (surrounding whitespace ignored).
Result<EncryptionKey> ParseRawKey(std::string_view text, const std::string& origin);

/// Options from the environment, never from argv (argv is visible to every user of the host):
/// STASHFORM_STATE_PASSPHRASE | STASHFORM_STATE_KEY | STASHFORM_STATE_KEY_FILE for the key,
/// the same names with OLD_ (STASHFORM_STATE_OLD_PASSPHRASE, ...) for the key being rotated out,
/// and STASHFORM_STATE_ENCRYPTION=enforce to refuse plaintext.
using GetEnv = std::function<const char*(const char*)>;
Result<StateStoreOptions> StateStoreOptionsFromEnvironment(const GetEnv& getenv);
Result<StateStoreOptions> StateStoreOptionsFromEnvironment();

}  // namespace stashform::state
