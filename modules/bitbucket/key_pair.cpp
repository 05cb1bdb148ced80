#include "modules/bitbucket/key_pair.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

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

bool IsCertificatePem(const std::string& text) { return text.find("-----BEGIN CERTIFICATE-----") != std::string::npos; }

Result<std::string> PublicKeyOfCertificate(const std::string& certificate_pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())),
                                               BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(in ? PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr) : nullptr,
                                                          X509_free);
  if (!certificate) {
    char reason[256] = "unknown error";
    ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
    ERR_clear_error();
    return Status::Error(std::string("not a PEM X.509 certificate (") + reason + ")");
  }
  EVP_PKEY* key = X509_get0_pubkey(certificate.get());
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
  if (!key || !out || PEM_write_bio_PUBKEY(out.get(), key) != 1) {
    ERR_clear_error();
    return Status::Error("the certificate's public key cannot be read");
  }
  return BioText(out.get());
}

std::string PublicKeyBody(const std::string& given) {
  // A certificate stands for its public key: Bitbucket holds the key, whichever form was pasted.
  auto extracted = IsCertificatePem(given) ? PublicKeyOfCertificate(given) : Result<std::string>(given);
  const std::string& text = extracted.ok() ? *extracted : given;
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
  if (IsCertificatePem(text)) {
    auto key = PublicKeyOfCertificate(text);
    if (key.ok()) return *key;
  }
  if (text.find("-----BEGIN") != std::string::npos) return text;
  std::string body = PublicKeyBody(text);
  std::string pem = "-----BEGIN PUBLIC KEY-----\n";
  for (size_t i = 0; i < body.size(); i += 64) pem += body.substr(i, 64) + "\n";
  return pem + "-----END PUBLIC KEY-----\n";
}

}  // namespace stashform::bitbucket
