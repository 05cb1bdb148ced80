#include "base/digest.h"

#include <openssl/evp.h>

namespace stashform {

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

std::string SecretDigest(std::string_view secret) { return "sha256:" + Sha256Hex(secret); }

bool IsSecretDigest(std::string_view text) {
  return text.size() == 7 + 64 && text.substr(0, 7) == "sha256:";
}

}  // namespace stashform
