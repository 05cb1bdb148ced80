#include "modules/gitpod/provider.h"

#include <fmt/format.h>

#include "modules/gitpod/api.h"
#include "modules/gitpod/auth_provider.h"
#include "modules/server_timeout.h"

namespace stashform::gitpod {

namespace {

std::string CheckUrl(const Value& value) {
  if (!value.is_string()) return "";
  const std::string& url = value.as_string();
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 ? "" : "expected an http:// or https:// URL";
}

ResourceSchema MakeAccountSchema() {
  ResourceSchema s;
  s.type = "gitpod.account";
  s.is_server = true;
  s.description = "A Gitpod installation and the personal access token stashform calls its public API with.";
  auto url = MakeAttribute("url", AttrType::kString, AttrMode::kRequired,
                           "The installation's URL, e.g. https://gitpod.example.com (the OAuth callback's base).");
  url.check = CheckUrl;
  auto api_url = MakeAttribute("api_url", AttrType::kString, AttrMode::kOptional,
                               "The public API's base; default <url>/public-api.");
  api_url.check = CheckUrl;
  auto token = MakeAttribute("token", AttrType::kString, AttrMode::kRequired, "Personal access token.");
  token.sensitive = true;
  s.attributes = {url, api_url, token,
                  MakeAttribute("organization_id", AttrType::kString, AttrMode::kOptional,
                                "The organization (a UUID) that owns auth providers unless one says otherwise."),
                  MakeAttribute("ca_file", AttrType::kString, AttrMode::kOptional, "Extra CA bundle (PEM)."),
                  MakeAttribute("insecure", AttrType::kBool, AttrMode::kOptional, "Skip TLS verification (testing only)."),
                  modules::TimeoutAttribute()};
  return s;
}

/// GitpodServer owns the HTTP client and API of one account block and its resource type.
class GitpodServer : public provider::Server {
 public:
  GitpodServer(AccountSettings settings, std::unique_ptr<http::HttpClient> client)
      : client_(std::move(client)), api_(std::move(settings), *client_), auth_providers_(api_) {}

  provider::ResourceType* Resource(const std::string& type) override {
    return type == AuthProviderSchema().type ? &auth_providers_ : nullptr;
  }

  /// One page of one provider of the organization: the URL, the token and the organization at once.
  Status Verify() override {
    if (api_.settings().organization_id.empty()) return Status::Ok();
    boost::json::object list{{"organizationId", api_.settings().organization_id},
                             {"pagination", boost::json::object{{"pageSize", 1}}}};
    return api_.Call("ListAuthProviders", list).status();
  }

 private:
  std::unique_ptr<http::HttpClient> client_;
  GitpodApi api_;
  AuthProviderType auth_providers_;
};

class GitpodProvider : public provider::Provider {
 public:
  explicit GitpodProvider(HttpClientFactory make_client) : make_client_(std::move(make_client)) {}

  std::string name() const override { return "gitpod"; }

  std::vector<const ResourceSchema*> Schemas() const override { return {&AccountSchema(), &AuthProviderSchema()}; }

  Result<std::unique_ptr<provider::Server>> Configure(const std::string& server_name,
                                                      const Value::Map& config) override {
    AccountSettings settings{StringField(config, "url"), StringField(config, "api_url"), StringField(config, "token"),
                             StringField(config, "organization_id")};
    if (settings.url.empty() || settings.token.empty())
      return Status::Error(fmt::format("gitpod.account \"{}\": set url and token", server_name));
    http::ClientOptions options;
    options.ca_file = StringField(config, "ca_file");
    auto insecure = config.find("insecure");
    options.insecure = insecure != config.end() && insecure->second.is_bool() && insecure->second.as_bool();
    modules::ApplyTimeout(config, options);
    std::unique_ptr<provider::Server> server = std::make_unique<GitpodServer>(std::move(settings), make_client_(options));
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

std::unique_ptr<provider::Provider> MakeGitpodProvider(HttpClientFactory make_client) {
  return std::make_unique<GitpodProvider>(std::move(make_client));
}

}  // namespace stashform::gitpod
