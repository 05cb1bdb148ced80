// Fuzz target: the Spacelift client's GraphQL answers (data, errors, nulls) through the
// real provider: the first byte picks one read of one resource type or data source, the rest are
// its answers (fuzz/provider_reads.h). The login answers a fixed, valid JWT:
// the fuzzer would not guess one, and what follows the login is what servers vary.

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/base64.h"
#include "fuzz/provider_reads.h"
#include "modules/spacelift/provider.h"
#include "tests/support/fake_http_client.h"

using namespace stashform;

namespace {

const std::string kApiUrl = "https://fuzz.app.spacelift.io";

std::optional<http::Response> Login(const http::Request& request) {
  if (request.body.find("apiKeyUser") == std::string::npos) return std::nullopt;
  static const std::string jwt = Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + "." +
                                 Base64UrlEncode(R"({"aud":[")" + kApiUrl + R"("],"exp":4102444800,"sub":"api::key"})") +
                                 "." + Base64UrlEncode("signature");
  return http::FakeHttpClient::Reply(200, R"({"data":{"apiKeyUser":{"jwt":")" + jwt + R"("}}})");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fuzz::ScriptedAnswers* answers = nullptr;
  static auto provider = spacelift::MakeSpaceliftProvider(fuzz::ScriptedClientFactory(answers, Login));
  fuzz::RunOneRead(*provider, answers, {{"api_url", Value(kApiUrl)}, {"api_key_id", Value("k")},
                                        {"api_key_secret", Value("s")}},
                   data, size);
  return 0;
}
