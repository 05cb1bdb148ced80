// TLS checks run in their own binary, built with CPPHTTPLIB_OPENSSL_SUPPORT (see CMakeLists.txt):
// cpp-httplib changes its classes when built with OpenSSL, so mixing both builds of the header in
// one program would break the one-definition rule.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "tests/support/fake_clock.h"
#include "modules/http/curl_http_client.h"
#include "tests/modules/http/loopback_server.h"

namespace stashform::http {
namespace {

using testing::LoopbackServer;

void AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

// A self-signed certificate for IP 127.0.0.1 and its key, as PEM files in the temp folder; named
// by process id because CTest may run these tests side by side.
struct SelfSignedCertificate {
  std::string prefix = ::testing::TempDir() + "stashform_http_tls_" + std::to_string(getpid());
  std::string cert_path = prefix + "_cert.pem";
  std::string key_path = prefix + "_key.pem";

  SelfSignedCertificate() {
    EVP_PKEY* key = EVP_EC_gen("prime256v1");
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("stashform test"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    AddExtension(cert, NID_subject_alt_name, "IP:127.0.0.1");
    AddExtension(cert, NID_basic_constraints, "critical,CA:TRUE");
    X509_sign(cert, key, EVP_sha256());
    FILE* cert_file = std::fopen(cert_path.c_str(), "w");
    PEM_write_X509(cert_file, cert);
    std::fclose(cert_file);
    FILE* key_file = std::fopen(key_path.c_str(), "w");
    PEM_write_PrivateKey(key_file, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(key_file);
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  ~SelfSignedCertificate() {
    std::remove(cert_path.c_str());
    std::remove(key_path.c_str());
  }
};

class TlsTest : public ::testing::Test {
 protected:
  TlsTest()
      : server_(std::make_unique<httplib::SSLServer>(certificate_.cert_path.c_str(),
                                                     certificate_.key_path.c_str()),
                "https") {
    server_.server().Get("/secure", [&](const httplib::Request& req, httplib::Response& res) {
      server_.Saw(req);
      res.set_content("over tls", "text/plain");
    });
    server_.Start();
  }

  Response Fetch(ClientOptions options) {
    CurlHttpClient client(options, clock_);
    Request request;
    request.url = server_.Url("/secure");
    return client.Send(request);
  }

  SelfSignedCertificate certificate_;
  LoopbackServer server_;
  FakeClock clock_;
};

TEST_F(TlsTest, RejectsAnUntrustedCertificateByDefaultAndDoesNotRetry) {
  const Response response = Fetch(ClientOptions{});

  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.transport_error, "SSL certificate problem: self-signed certificate");
  EXPECT_EQ(response.attempts, 1);
  EXPECT_EQ(server_.requests(), 0);
}

TEST_F(TlsTest, TrustsTheCertificateAuthorityInCaFile) {
  ClientOptions options;
  options.ca_file = certificate_.cert_path;

  const Response response = Fetch(options);

  EXPECT_EQ(response.status, 200) << response.transport_error;
  EXPECT_EQ(response.body, "over tls");
}

TEST_F(TlsTest, SkipsVerificationOnlyWhenInsecureIsSet) {
  ClientOptions options;
  options.insecure = true;

  const Response response = Fetch(options);

  EXPECT_EQ(response.status, 200) << response.transport_error;
}

TEST_F(TlsTest, AMissingCaFileIsAnErrorNotAFallbackToTheSystemStore) {
  ClientOptions options;
  options.ca_file = certificate_.cert_path + ".missing";

  const Response response = Fetch(options);

  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.transport_error, "error setting certificate file: " + options.ca_file);
  EXPECT_EQ(response.attempts, 1);
}

}  // namespace
}  // namespace stashform::http
