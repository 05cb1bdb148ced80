#include "modules/packagist/provider.h"

#include <fmt/format.h>

#include "modules/packagist/api.h"
#include "modules/packagist/common.h"
#include "modules/packagist/credential.h"
#include "modules/packagist/synchronizations.h"
#include "modules/packagist/vcs_package.h"
#include "modules/server_timeout.h"

namespace stashform::packagist {

namespace {

ResourceSchema MakeAccountSchema() {
  ResourceSchema s;
  s.type = "packagist.account";
  s.is_server = true;
  s.description = "A Private Packagist organization (or Self-Hosted instance) and the API key stashform signs with.";
  auto url = MakeAttribute("url", AttrType::kString, AttrMode::kOptional,
                           "Packagist URL; the API is under <url>/api. Default https://packagist.com.");
  url.check = CheckHttpUrl;
  url.default_value = Value("https://packagist.com");
  auto key = MakeAttribute("api_key", AttrType::kString, AttrMode::kRequired, "API key (packagist_ack_…).");
  key.sensitive = true;
  auto secret = MakeAttribute("api_secret", AttrType::kString, AttrMode::kRequired, "API secret (packagist_acs_…).");
  secret.sensitive = true;
  s.attributes = {url, key, secret,
                  MakeAttribute("ca_file", AttrType::kString, AttrMode::kOptional, "Extra CA bundle (PEM)."),
                  MakeAttribute("insecure", AttrType::kBool, AttrMode::kOptional, "Skip TLS verification (testing only)."),
                  modules::TimeoutAttribute()};
  return s;
}

/// PackagistServer owns the HTTP client and API of one account block and its resource types.
class PackagistServer : public provider::Server {
 public:
  PackagistServer(AccountSettings settings, std::unique_ptr<http::HttpClient> client)
      : client_(std::move(client)),
        // A job wait says what it waits for where the HTTP client's "still waiting" lines go (the
        // command's error stream, in one write, clearing a half-drawn progress line first).
        api_(std::move(settings), *client_, SystemClock::Instance(),
             [client = client_.get()](const std::string& line) { client->ReportWaiting(line); }),
        credentials_(api_),
        packages_(api_) {}

  provider::ResourceType* Resource(const std::string& type) override {
    if (type == CredentialSchema().type) return &credentials_;
    if (type == VcsPackageSchema().type) return &packages_;
    return nullptr;
  }

  Status Verify() override { return api_.Call("GET", "/synchronizations/").status(); }

  Result<Value> ReadDataSource(const std::string& type, const Value::Map& arguments) override {
    if (type == SynchronizationsSchema().type) return ReadSynchronizations(api_, arguments);
    return Status::Error("data source " + type + " is not served by packagist.account");
  }

 private:
  std::unique_ptr<http::HttpClient> client_;
  PackagistApi api_;
  CredentialType credentials_;
  VcsPackageType packages_;
};

class PackagistProvider : public provider::Provider {
 public:
  explicit PackagistProvider(HttpClientFactory make_client) : make_client_(std::move(make_client)) {}

  std::string name() const override { return "packagist"; }

  std::vector<const ResourceSchema*> Schemas() const override {
    return {&AccountSchema(), &CredentialSchema(), &VcsPackageSchema(), &SynchronizationsSchema()};
  }

  Result<std::unique_ptr<provider::Server>> Configure(const std::string& server_name,
                                                      const Value::Map& config) override {
    AccountSettings settings;
    if (std::string url = StringField(config, "url"); !url.empty()) settings.url = url;
    settings.api_key = StringField(config, "api_key");
    settings.api_secret = StringField(config, "api_secret");
    if (settings.api_key.empty() || settings.api_secret.empty())
      return Status::Error(fmt::format("packagist.account \"{}\": set api_key and api_secret", server_name));
    http::ClientOptions options;
    options.ca_file = StringField(config, "ca_file");
    auto insecure = config.find("insecure");
    options.insecure = insecure != config.end() && insecure->second.is_bool() && insecure->second.as_bool();
    modules::ApplyTimeout(config, options);
    std::unique_ptr<provider::Server> server = std::make_unique<PackagistServer>(std::move(settings), make_client_(options));
    return server;
  }

 private:
  HttpClientFactory make_client_;
};

}  // namespace

const ResourceSchema& AccountSchema() {
  static const ResourceSchema kSchema = MakeAccountSchema();
  return kSchema;
}

std::unique_ptr<provider::Provider> MakePackagistProvider(HttpClientFactory make_client) {
  return std::make_unique<PackagistProvider>(std::move(make_client));
}

}  // namespace stashform::packagist
