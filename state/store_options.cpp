#include "state/store_options.h"

#include <cstdlib>
#include <vector>

#include "base/base64.h"
#include "state/file_io.h"

namespace stashform::state {

namespace {

constexpr size_t kKeyBytes = 32;

std::string Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

std::optional<std::string> FromHex(const std::string& text) {
  if (text.size() != kKeyBytes * 2) return std::nullopt;
  std::string bytes;
  for (size_t i = 0; i < text.size(); i += 2) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int high = nibble(text[i]), low = nibble(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes += static_cast<char>(high * 16 + low);
  }
  return bytes;
}

// The key named by one family of variables (`STASHFORM_STATE_` or `STASHFORM_STATE_OLD_`).
Result<std::optional<EncryptionKey>> KeyFromEnvironment(const GetEnv& getenv, const std::string& prefix) {
  std::string passphrase = prefix + "PASSPHRASE", key = prefix + "KEY", key_file = prefix + "KEY_FILE";
  const char* values[] = {getenv(passphrase.c_str()), getenv(key.c_str()), getenv(key_file.c_str())};
  int given = (values[0] && *values[0]) + (values[1] && *values[1]) + (values[2] && *values[2]);
  if (given > 1) return Status::Error("set only one of " + passphrase + ", " + key + " and " + key_file);
  if (values[0] && *values[0]) return std::optional(EncryptionKey::Passphrase(values[0], passphrase));
  if (values[1] && *values[1]) {
    auto parsed = ParseRawKey(values[1], key);
    if (!parsed.ok()) return parsed.status();
    return std::optional(*parsed);
  }
  if (!values[2] || !*values[2]) return std::optional<EncryptionKey>();
  auto text = ReadFileIfExists(values[2]);
  if (!text.ok()) return Status::Error(key_file + ": " + text.message());
  if (!text->has_value()) return Status::Error(key_file + ": " + std::string(values[2]) + " does not exist");
  auto parsed = ParseRawKey(**text, key_file + " (" + values[2] + ")");
  if (!parsed.ok()) return parsed.status();
  return std::optional(*parsed);
}

}  // namespace

EncryptionKey EncryptionKey::Passphrase(std::string text, std::string origin) {
  return EncryptionKey{Kind::kPassphrase, std::move(text), std::move(origin)};
}

EncryptionKey EncryptionKey::Raw(std::string bytes, std::string origin) {
  return EncryptionKey{Kind::kRaw, std::move(bytes), std::move(origin)};
}

Result<EncryptionKey> ParseRawKey(std::string_view text, const std::string& origin) {
  std::string trimmed = Trim(text);
  std::optional<std::string> bytes = FromHex(trimmed);
  if (!bytes) {
    bytes = Base64Decode(trimmed);
    if (bytes && bytes->size() != kKeyBytes) bytes.reset();
  }
  if (!bytes) return Status::Error(origin + ": a raw key is 64 hex digits or the base64 of 32 bytes");
  return EncryptionKey::Raw(std::move(*bytes), origin);
}

Result<StateStoreOptions> StateStoreOptionsFromEnvironment(const GetEnv& getenv) {
  StateStoreOptions options;
  auto key = KeyFromEnvironment(getenv, "STASHFORM_STATE_");
  if (!key.ok()) return key.status();
  auto old_key = KeyFromEnvironment(getenv, "STASHFORM_STATE_OLD_");
  if (!old_key.ok()) return old_key.status();
  options.key = *key;
  options.old_key = *old_key;
  std::string mode = getenv("STASHFORM_STATE_ENCRYPTION") ? getenv("STASHFORM_STATE_ENCRYPTION") : "";
  if (mode != "" && mode != "enforce" && mode != "optional")
    return Status::Error("STASHFORM_STATE_ENCRYPTION is \"" + mode + "\"; use \"enforce\" or \"optional\"");
  options.enforce_encryption = mode == "enforce";
  return options;
}

Result<StateStoreOptions> StateStoreOptionsFromEnvironment() {
  return StateStoreOptionsFromEnvironment([](const char* name) { return std::getenv(name); });
}

}  // namespace stashform::state
