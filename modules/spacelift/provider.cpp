#include "modules/spacelift/provider.h"

#include <fmt/format.h>

#include "modules/server_timeout.h"
#include "modules/spacelift/api.h"
#include "modules/spacelift/common.h"
#include "modules/spacelift/integration.h"
#include "modules/spacelift/stack.h"
#include "modules/spacelift/stack_binding.h"
#include "modules/spacelift/stacks_data_source.h"

namespace stashform::spacelift {

namespace {

std::string CheckUrl(const Value& value) {
  if (!value.is_string()) return "";
  const std::string& url = value.as_string();
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 ? "" : "expected an http:// or https:// URL";
}

ResourceSchema MakeAccountSchema() {
  ResourceSchema s;
  s.type = "spacelift.account";
  s.is_server = true;
  s.description = "A Spacelift account and the API key stashform logs in with.";
  auto url = MakeAttribute("api_url", AttrType::kString, AttrMode::kRequired,
                  "Account URL, e.g. https://ACCOUNT.app.spacelift.io (login goes to <api_url>/graphql).");
  url.check = CheckUrl;
  auto secret = MakeAttribute("api_key_secret", AttrType::kString, AttrMode::kRequired, "API key secret.");
  secret.sensitive = true;
  auto ca_file = MakeAttribute("ca_file", AttrType::kString, AttrMode::kOptional, "Extra CA bundle (PEM).");
  auto insecure = MakeAttribute("insecure", AttrType::kBool, AttrMode::kOptional, "Skip TLS verification (testing only).");
  s.attributes = {url, MakeAttribute("api_key_id", AttrType::kString, AttrMode::kRequired, "API key id."), secret, ca_file,
                  insecure, modules::TimeoutAttribute()};
  return s;
}

/// SpaceliftServer owns the HTTP client and API of one account block and its resource types.
class SpaceliftServer : public provider::Server {
 public:
  SpaceliftServer(AccountSettings settings, std::unique_ptr<http::HttpClient> client)
      : client_(std::move(client)), api_(std::move(settings), *client_), integrations_(api_), bindings_(api_), stacks_(api_) {}

  provider::ResourceType* Resource(const std::string& type) override {
    if (type == IntegrationSchema().type) return &integrations_;
    if (type == StackBindingSchema().type) return &bindings_;
    if (type == StackSchema().type) return &stacks_;
    return nullptr;
  }

  Status Verify() override { return api_.Login(); }

  Result<Value> ReadDataSource(const std::string& type, const Value::Map& arguments) override {
    if (type == StacksDataSourceSchema().type) return ReadStacks(api_, arguments);
    return Status::Error("data source " + type + " is not served by spacelift.account");
  }

 private:
  std::unique_ptr<http::HttpClient> client_;
  SpaceliftApi api_;
  IntegrationType integrations_;
  StackBindingType bindings_;
  StackType stacks_;
};

class SpaceliftProvider : public provider::Provider {
 public:
  explicit SpaceliftProvider(HttpClientFactory make_client) : make_client_(std::move(make_client)) {}

  std::string name() const override { return "spacelift"; }

  std::vector<const ResourceSchema*> Schemas() const override {
    return {&AccountSchema(), &IntegrationSchema(), &StackBindingSchema(), &StackSchema(), &StacksDataSourceSchema()};
  }

  Result<std::unique_ptr<provider::Server>> Configure(const std::string& server_name,
                                                      const Value::Map& config) override {
    AccountSettings settings{StringField(config, "api_url"), StringField(config, "api_key_id"), StringField(config, "api_key_secret")};
    if (settings.api_url.empty() || settings.api_key_id.empty() || settings.api_key_secret.empty())
      return Status::Error(fmt::format("spacelift.account \"{}\": set api_url, api_key_id and api_key_secret", server_name));
    http::ClientOptions options;
    options.ca_file = StringField(config, "ca_file");
    auto insecure = config.find("insecure");
    options.insecure = insecure != config.end() && insecure->second.is_bool() && insecure->second.as_bool();
    modules::ApplyTimeout(config, options);
    std::unique_ptr<provider::Server> server = std::make_unique<SpaceliftServer>(std::move(settings), make_client_(options));
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

std::unique_ptr<provider::Provider> MakeSpaceliftProvider(HttpClientFactory make_client) {
  return std::make_unique<SpaceliftProvider>(std::move(make_client));
}

}  // namespace stashform::spacelift
