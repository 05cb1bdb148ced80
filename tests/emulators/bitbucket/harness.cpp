#include "tests/emulators/bitbucket/harness.h"

#include "emulators/bitbucket/encoding.h"

namespace stashform::emulator::testing {

const char* const kDefaultSeed = R"({
  "users": [
    {"name": "admin", "password": "admin", "admin": true},
    {"name": "reader", "password": "reader-pw",
     "permissions": {"projects": {"INFRA": "PROJECT_READ"}}},
    {"name": "repo-admin", "password": "ra-pw",
     "permissions": {"repositories": {"INFRA/tf-network": "REPO_ADMIN"}}},
    {"name": "outsider", "password": "out-pw"}
  ],
  "projects": [
    {"key": "INFRA", "name": "Infrastructure", "description": "network and dns",
     "repositories": [
       {"slug": "tf-network", "name": "tf-network"},
       {"slug": "tf-dns", "name": "tf-dns", "public": true},
       {"slug": "old-infra", "name": "old-infra", "archived": true}
     ]},
    {"key": "APP", "name": "Applications",
     "repositories": [{"slug": "api", "name": "api"}]}
  ]
})";

std::string BasicAuth(const std::string& user, const std::string& password) {
  return "Basic " + Base64Encode(user + ":" + password);
}

std::string BearerAuth(const std::string& token) { return "Bearer " + token; }

Harness::Harness(const std::string& seed_json, Settings settings, FaultConfig faults) {
  app_ = std::make_unique<App>(boost::json::parse(seed_json), std::move(settings), std::move(faults));
  server_ = std::make_unique<HttpServer>("127.0.0.1", 0, 2, [this](const Request& request) {
    return app_->Handle(request);
  });
  port_ = server_->port();
  app_->SetBaseUrl(base_url());
  server_->Start();
}

Harness::~Harness() { server_->Stop(); }

httplib::Result Harness::Send(const std::string& method, const std::string& path, const std::string& body,
                              const std::string& auth) {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(10, 0);
  httplib::Headers headers;
  if (!auth.empty()) headers.emplace("Authorization", auth);
  const char* type = "application/json";
  if (method == "GET") return client.Get(path, headers);
  if (method == "POST") return client.Post(path, headers, body, type);
  if (method == "PUT") return client.Put(path, headers, body, type);
  if (method == "PATCH") return client.Patch(path, headers, body, type);
  if (method == "DELETE") return client.Delete(path, headers, body, type);
  throw std::invalid_argument("unsupported method " + method);
}

boost::json::value Json(const httplib::Result& result) {
  if (!result) return nullptr;
  boost::system::error_code ec;
  auto value = boost::json::parse(result->body, ec);
  if (ec) return nullptr;
  return value;
}

std::string ErrorMessage(const httplib::Result& result) {
  auto json = Json(result);
  if (!json.is_object() || !json.as_object().contains("errors")) return "";
  const auto& errors = json.at("errors").as_array();
  if (errors.empty()) return "";
  return std::string(errors[0].at("message").as_string());
}

}  // namespace stashform::emulator::testing
