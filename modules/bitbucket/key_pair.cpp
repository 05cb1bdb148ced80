#include "modules/bitbucket/key_pair.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

namespace stashform::bitbucket {

namespace {

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : "";
}

Status OpenSslError(const char* what) {
  char reason[256] = "unknown error";
  ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
  return Status::Error(std::string("generating an RSA key pair: ") + what + ": " + reason);
}

}  // namespace

Result<KeyPairPem> GenerateRsaKeyPair(int bits) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(static_cast<unsigned>(bits)), EVP_PKEY_free);
  if (!key) return OpenSslError("EVP_RSA_gen");
  std::unique_ptr<BIO, decltype(&BIO_free)> pub(BIO_new(BIO_s_mem()), BIO_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> priv(BIO_new(BIO_s_mem()), BIO_free);
  if (!pub || !priv) return OpenSslError("BIO_new");
  if (PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1) return OpenSslError("PEM_write_bio_PUBKEY");
  if (PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return OpenSslError("PEM_write_bio_PrivateKey");
  return KeyPairPem{BioText(pub.get()), BioText(priv.get())};
}

std::string PublicKeyBody(const std::string& text) {
  std::string body;
  bool in_header = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 5, "-----") == 0) {
      in_header = !in_header;
      i += 4;
      continue;
    }
    if (in_header || std::isspace(static_cast<unsigned char>(text[i]))) continue;
    body += text[i];
  }
  return body;
}

std::string PublicKeyPem(const std::string& text) {
  if (text.find("-----BEGIN") != std::string::npos) return text;
  std::string body = PublicKeyBody(text);
  std::string pem = "-----BEGIN PUBLIC KEY-----\n";
  for (size_t i = 0; i < body.size(); i += 64) pem += body.substr(i, 64) + "\n";
  return pem + "-----END PUBLIC KEY-----\n";
}

}  // namespace stashform::bitbucket
