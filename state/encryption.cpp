#include "state/encryption.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <boost/json.hpp>
#include <algorithm>
#include <memory>
#include <vector>

#include "base/base64.h"
#include "state/json_text.h"

namespace stashform::state {

namespace json = boost::json;

namespace {

constexpr const char* kEnvelopeFormat = "stashform-encrypted";
constexpr int kEnvelopeVersion = 1;
constexpr size_t kKeyBytes = 32, kNonceBytes = 12, kTagBytes = 16, kSaltBytes = 16;
constexpr int64_t kMaxIterations = 100'000'000;
const char* const kKeyVariables = "STASHFORM_STATE_PASSPHRASE, STASHFORM_STATE_KEY or STASHFORM_STATE_KEY_FILE";

std::string RandomBytes(size_t count) {
  std::string bytes(count, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), int(count));
  return bytes;
}

// The header fields go into the GCM tag, so editing the KDF parameters is detected like a wrong key.
std::string AssociatedData(const std::string& kdf, const std::string& salt_b64, int iterations) {
  return std::string(kEnvelopeFormat) + ":" + std::to_string(kEnvelopeVersion) + ":AES-256-GCM:" + kdf + ":" +
         salt_b64 + ":" + std::to_string(iterations);
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

struct Sealed {
  std::string nonce, ciphertext, tag;
};

std::optional<Sealed> Encrypt(const std::string& key, std::string_view plaintext, const std::string& aad) {
  Sealed out{RandomBytes(kNonceBytes), std::string(plaintext.size(), '\0'), std::string(kTagBytes, '\0')};
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int n = 0;
  auto* key_bytes = reinterpret_cast<const unsigned char*>(key.data());
  auto* nonce = reinterpret_cast<const unsigned char*>(out.nonce.data());
  bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_bytes, nonce) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(aad.data()),
                              int(aad.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.ciphertext.data()), &n,
                              reinterpret_cast<const unsigned char*>(plaintext.data()), int(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.ciphertext.data()) + n, &n) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, int(kTagBytes), out.tag.data()) == 1;
  if (!ok) return std::nullopt;
  return out;
}

// Nothing when the key is wrong or the bytes were altered: GCM cannot tell the two apart.
std::optional<std::string> Decrypt(const std::string& key, const Sealed& sealed, const std::string& aad) {
  std::string plaintext(sealed.ciphertext.size(), '\0');
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int n = 0;
  std::string tag = sealed.tag;
  auto* key_bytes = reinterpret_cast<const unsigned char*>(key.data());
  auto* nonce = reinterpret_cast<const unsigned char*>(sealed.nonce.data());
  bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_bytes, nonce) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(aad.data()),
                              int(aad.size())) == 1 &&
            EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plaintext.data()), &n,
                              reinterpret_cast<const unsigned char*>(sealed.ciphertext.data()),
                              int(sealed.ciphertext.size())) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, int(kTagBytes), tag.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plaintext.data()) + n, &n) == 1;
  if (!ok) return std::nullopt;
  return plaintext;
}

// The parsed envelope fields, binary ones decoded.
struct Envelope {
  std::string kdf, salt_b64;
  int iterations = 0;
  Sealed sealed;
};

// Takes the file bytes and frees them once parsed: a large envelope is otherwise held three times.
Result<Envelope> ParseEnvelope(std::string bytes, const std::string& file) {
  Result<json::value> parsed = ParseJson(bytes, file);
  std::string().swap(bytes);
  if (!parsed.ok()) return parsed.status();
  const json::object* doc = parsed->if_object();
  // Views, not copies: the ciphertext field may be a hundred megabytes.
  auto text = [&](const char* key) -> std::string_view {
    const json::value* v = doc ? doc->if_contains(key) : nullptr;
    return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
  };
  auto number = [&](const char* key) -> int64_t {
    const json::value* v = doc ? doc->if_contains(key) : nullptr;
    return v && v->is_int64() ? v->get_int64() : -1;
  };
  if (number("version") > kEnvelopeVersion)
    return Status::Error(file + ": encrypted state format version " + std::to_string(number("version")) +
                         " is newer than this stashform understands (1); upgrade stashform");
  Envelope e{std::string(text("kdf")), std::string(text("salt")), int(std::clamp<int64_t>(number("iterations"), 0, kMaxIterations)), {}};
  auto nonce = Base64Decode(text("nonce")), ciphertext = Base64Decode(text("ciphertext")), tag = Base64Decode(text("tag"));
  // The iteration count comes from the file: bounded, so an edited file cannot stall a run.
  bool kdf_ok = e.kdf == "none" || (e.kdf == "PBKDF2-SHA512" && e.iterations > 0 &&
                                    number("iterations") <= kMaxIterations && Base64Decode(e.salt_b64));
  if (text("cipher") != "AES-256-GCM" || number("version") != kEnvelopeVersion || !kdf_ok || !nonce ||
      nonce->size() != kNonceBytes || !ciphertext || !tag || tag->size() != kTagBytes)
    return Status::Error(file + ": malformed encrypted state envelope");
  e.sealed = Sealed{std::move(*nonce), std::move(*ciphertext), std::move(*tag)};
  return e;
}

struct EnvelopeHeader {
  std::string kdf, salt_b64;
  int iterations = 0;
};

std::string WriteEnvelope(const EnvelopeHeader& header, const Sealed& sealed) {
  PrettyWriter w;
  w.BeginObject();
  w.Key("format"); w.String(kEnvelopeFormat);
  w.Key("version"); w.Int(kEnvelopeVersion);
  w.Key("cipher"); w.String("AES-256-GCM");
  w.Key("kdf"); w.String(header.kdf);
  if (header.kdf != "none") {
    w.Key("salt"); w.String(header.salt_b64);
    w.Key("iterations"); w.Int(header.iterations);
  }
  w.Key("nonce"); w.String(Base64Encode(sealed.nonce));
  w.Key("tag"); w.String(Base64Encode(sealed.tag));
  w.Key("ciphertext"); w.String("");
  w.EndObject();
  std::string frame = w.Take();
  // Splice the ciphertext into the empty string written last, encoding it in place.
  size_t at = frame.rfind("\"\"") + 1;
  std::string out;
  out.reserve(frame.size() + 4 * ((sealed.ciphertext.size() + 2) / 3) + 1);
  out.append(frame, 0, at);
  AppendBase64(out, sealed.ciphertext);
  out.append(frame, at);
  return out;
}

}  // namespace

bool LooksEncrypted(std::string_view bytes) {
  // The format name comes first in every envelope; looking at the head spares parsing a large
  // plaintext state twice.
  return bytes.substr(0, 256).find("\"stashform-encrypted\"") != std::string_view::npos;
}

StateCipher::StateCipher(StateStoreOptions options) : options_(std::move(options)) {}

Result<std::string> StateCipher::DeriveKey(const EncryptionKey& key, const std::string& salt, int iterations) {
  if (key.kind == EncryptionKey::Kind::kRaw) {
    if (key.secret.size() != kKeyBytes) return Status::Error(key.origin + ": a raw key must be 32 bytes");
    return key.secret;
  }
  for (const auto& d : derived_)
    if (d.secret == key.secret && d.salt == salt && d.iterations == iterations) return d.key;
  std::string out(kKeyBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(key.secret.data(), int(key.secret.size()), reinterpret_cast<const unsigned char*>(salt.data()),
                        int(salt.size()), iterations, EVP_sha512(), int(kKeyBytes),
                        reinterpret_cast<unsigned char*>(out.data())) != 1)
    return Status::Error("cannot derive a key from " + key.origin);
  derived_.push_back({key.secret, salt, iterations, out});
  return out;
}

Result<std::string> StateCipher::Seal(std::string_view plaintext) {
  if (!options_.key) {
    if (options_.enforce_encryption)
      return Status::Error(std::string("encryption is enforced but no key is set; set ") + kKeyVariables);
    return std::string(plaintext);
  }
  const EncryptionKey& key = *options_.key;
  bool passphrase = key.kind == EncryptionKey::Kind::kPassphrase;
  // One salt per file: keep the one the file had under this passphrase, else draw one for this run.
  if (passphrase && !write_salt_) write_salt_ = std::make_pair(RandomBytes(kSaltBytes), options_.pbkdf2_iterations);
  EnvelopeHeader header{passphrase ? "PBKDF2-SHA512" : "none", passphrase ? Base64Encode(write_salt_->first) : "",
                        passphrase ? write_salt_->second : 0};
  auto derived = DeriveKey(key, passphrase ? write_salt_->first : "", header.iterations);
  if (!derived.ok()) return derived.status();
  auto sealed = Encrypt(*derived, plaintext, AssociatedData(header.kdf, header.salt_b64, header.iterations));
  if (!sealed) return Status::Error("cannot encrypt the state (OpenSSL failed)");
  return WriteEnvelope(header, *sealed);
}

Result<std::string> StateCipher::Open(std::string bytes, const std::string& file_name) {
  needs_rewrite_ = false;
  if (LooksEncrypted(bytes)) return OpenEnvelope(std::move(bytes), file_name);
  if (options_.enforce_encryption)
    return Status::Error(file_name + " is not encrypted, and encryption is enforced (STASHFORM_STATE_ENCRYPTION)");
  needs_rewrite_ = options_.key.has_value();
  return bytes;
}

Result<std::string> StateCipher::OpenEnvelope(std::string bytes, const std::string& file_name) {
  auto envelope = ParseEnvelope(std::move(bytes), file_name);
  if (!envelope.ok()) return envelope.status();
  if (!options_.key && !options_.old_key)
    return Status::Error(file_name + " is encrypted; set " + kKeyVariables);
  std::string aad = AssociatedData(envelope->kdf, envelope->salt_b64, envelope->iterations);
  std::string salt = *Base64Decode(envelope->salt_b64);
  std::string tried;
  for (const auto* key : {options_.key ? &*options_.key : nullptr, options_.old_key ? &*options_.old_key : nullptr}) {
    if (!key) continue;
    tried += (tried.empty() ? "" : ", ") + key->origin;
    bool passphrase = key->kind == EncryptionKey::Kind::kPassphrase;
    if (passphrase != (envelope->kdf == "PBKDF2-SHA512")) continue;  // a passphrase cannot open a raw-key file
    auto derived = DeriveKey(*key, salt, envelope->iterations);
    if (!derived.ok()) return derived.status();
    auto plaintext = Decrypt(*derived, envelope->sealed, aad);
    if (!plaintext) continue;
    bool current = options_.key && key == &*options_.key;
    if (current && passphrase) write_salt_ = std::make_pair(salt, envelope->iterations);
    needs_rewrite_ = !current;
    return std::move(*plaintext);
  }
  std::string kind = envelope->kdf == "none" ? "a raw key" : "a passphrase";
  return Status::Error(file_name + " cannot be decrypted with " + tried + " (it was encrypted with " + kind +
                       "): wrong key, or the file was altered");
}

}  // namespace stashform::state
