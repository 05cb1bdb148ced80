#pragma once
// RSA key pairs for OAuth 1.0a consumers, generated with OpenSSL; and public-key text forms.

#include <string>

#include "base/status.h"

namespace stashform::bitbucket {

struct KeyPairPem {
  std::string public_key;   // "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo)
  std::string private_key;  // "-----BEGIN PRIVATE KEY-----" (PKCS#8); a secret
};

/// A fresh RSA key pair of `bits` bits; the error names OpenSSL's reason, never key material.
Result<KeyPairPem> GenerateRsaKeyPair(int bits = 2048);

/// The public key (SubjectPublicKeyInfo PEM) of a PEM X.509 certificate, as Private Packagist
/// shows its OAuth 1 consumer's key; the error says why the text is not a certificate.
Result<std::string> PublicKeyOfCertificate(const std::string& certificate_pem);

/// Whether the text is a PEM certificate ("-----BEGIN CERTIFICATE-----").
bool IsCertificatePem(const std::string& text);

/// The base64 body of a PEM public key (of a certificate's key, for a certificate) with headers and whitespace removed (bare base64 as is),
/// so that a PEM and the bare form Bitbucket may echo compare equal.
std::string PublicKeyBody(const std::string& text);

/// PEM text for a public key given as PEM, as bare base64, or as a certificate (its key).
std::string PublicKeyPem(const std::string& text);

}  // namespace stashform::bitbucket
