#include "tests/modules/spacelift/fake_spacelift.h"

#include <openssl/evp.h>

namespace stashform::spacelift::testing {

namespace json = boost::json;
using http::FakeHttpClient;

std::string Base64Url(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (auto& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::string MakeJwt(const json::object& claims) {
  return Base64Url(R"({"alg":"HS256","typ":"JWT"})") + "." + Base64Url(json::serialize(claims)) + "." +
         Base64Url("signature");
}

std::string RootField(const std::string& document) {
  auto brace = document.find('{');
  auto start = brace + 1;
  auto end = document.find_first_of("({", start);
  return document.substr(start, end - start);
}

FakeSpacelift::FakeSpacelift(FakeHttpClient& http, int64_t expires) : expires_(expires) {
  http.SetHandler([this](const http::Request& request) { return Handle(request); });
}

void FakeSpacelift::OnData(const std::string& root_field, const json::value& data) {
  On(root_field, [root_field, data](const json::object&) {
    return FakeHttpClient::Reply(200, json::serialize(json::object{{"data", json::object{{root_field, data}}}}));
  });
}

http::Response FakeSpacelift::Handle(const http::Request& request) {
  json::value body = json::parse(request.body);
  std::string field = RootField(std::string(body.at("query").as_string()));
  json::object variables = body.as_object().contains("variables") ? body.at("variables").as_object() : json::object{};
  if (field == "apiKeyUser") {
    if (request.url != kLoginUrl) return FakeHttpClient::Reply(404, "login at the wrong URL");
    ++logins_;
    json::object claims{{"aud", json::array{json::value(kApiBase)}}, {"exp", expires_}, {"sub", "api::key"}};
    return FakeHttpClient::Reply(
        200, json::serialize(json::object{{"data", json::object{{"apiKeyUser", json::object{{"jwt", MakeJwt(claims)}}}}}}));
  }
  if (request.url != kApiBase + "/graphql") return FakeHttpClient::Reply(404, "call at the wrong URL " + request.url);
  if (reject_next_call_) {
    reject_next_call_ = false;
    return FakeHttpClient::Reply(401, R"({"errors":[{"message":"unauthorized"}]})");
  }
  auto it = answers_.find(field);
  if (it == answers_.end()) return FakeHttpClient::Reply(500, "no scripted answer for " + field);
  return it->second(variables);
}

}  // namespace stashform::spacelift::testing
