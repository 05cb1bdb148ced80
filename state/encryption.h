#pragma once
// Encryption at rest for state files and saved plans: an AES-256-GCM envelope around the bytes.

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "state/store_options.h"

namespace stashform::state {

/// True when `bytes` are a stashform encrypted envelope rather than plaintext.
bool LooksEncrypted(std::string_view bytes);

/// StateCipher turns plaintext into the bytes a store writes and back, following the options:
/// encrypt with `key`, read with `key` or `old_key`, refuse plaintext when enforced. It knows
/// nothing of the state format. It caches derived keys, so a run pays for PBKDF2 once per salt.
class StateCipher {
 public:
  explicit StateCipher(StateStoreOptions options);

  /// The bytes to write: an envelope when a key is set, else the plaintext (unless enforced).
  Result<std::string> Seal(std::string_view plaintext);
  /// The plaintext of bytes read from `file_name`; errors say which key is missing or wrong.
  Result<std::string> Open(std::string bytes, const std::string& file_name);
  /// Whether the bytes last opened are protected other than Seal would write them (plaintext
  /// with a key set, or the old key): the store then rewrites even unchanged content.
  bool NeedsRewrite() const { return needs_rewrite_; }
  /// The store wrote what Seal returned: the file is now protected as Seal writes.
  void MarkWritten() { needs_rewrite_ = false; }
  bool encrypts() const { return options_.key.has_value(); }
  /// False when Seal would hand the plaintext back unchanged.
  bool seals() const { return options_.key.has_value() || options_.enforce_encryption; }

 private:
  struct Derived {
    std::string secret, salt;
    int iterations = 0;
    std::string key;
  };
  Result<std::string> DeriveKey(const EncryptionKey& key, const std::string& salt, int iterations);
  Result<std::string> OpenEnvelope(std::string bytes, const std::string& file_name);

  StateStoreOptions options_;
  std::vector<Derived> derived_;
  std::optional<std::pair<std::string, int>> write_salt_;  // reused from the file `key` opened
  bool needs_rewrite_ = false;
};

}  // namespace stashform::state
