#include "modules/bitbucket/provider.h"

#include <fmt/format.h>

#include "modules/bitbucket/access_token.h"
#include "modules/bitbucket/api.h"
#include "modules/bitbucket/application_link.h"
#include "modules/bitbucket/data_sources.h"
#include "modules/bitbucket/oauth2_client.h"
#include "modules/bitbucket/project_webhook.h"
#include "modules/bitbucket/webhook.h"
#include "modules/server_timeout.h"

namespace stashform::bitbucket {

namespace {

AttributeSchema ServerAttr(std::string name, AttrMode mode, bool sensitive, std::string description) {
  AttributeSchema attr = MakeAttribute(std::move(name), AttrType::kString, mode, std::move(description));
  attr.sensitive = sensitive;
  return attr;
}

ResourceSchema MakeServerSchema() {
  ResourceSchema s;
  s.type = "bitbucket.server";
  s.is_server = true;
  s.description = "A Bitbucket Data Center server and the credentials stashform uses on it.";
  auto url = ServerAttr("url", AttrMode::kRequired, false, "Base URL, including any context path.");
  url.check = [](const Value& v) -> std::string {
    if (!v.is_string()) return "";
    const auto& u = v.as_string();
    return u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0 ? "" : "expected an http:// or https:// URL";
  };
  auto insecure = ServerAttr("insecure", AttrMode::kOptional, false, "Skip TLS verification (testing only).");
  insecure.type = AttrType::kBool;
  auto rate_limit = ServerAttr("rate_limit", AttrMode::kOptional, false,
                               "Requests per second to this server (0: unlimited).");
  rate_limit.type = AttrType::kInt;
  auto max_concurrency = ServerAttr("max_concurrency", AttrMode::kOptional, false,
                                    "Requests in flight to this server at once (default 32).");
  max_concurrency.type = AttrType::kInt;
  s.attributes = {url,
                  ServerAttr("token", AttrMode::kOptional, true, "HTTP access token, sent as Bearer."),
                  ServerAttr("username", AttrMode::kOptional, false, "User for Basic auth."),
                  ServerAttr("password", AttrMode::kOptional, true, "Password for Basic auth."),
                  ServerAttr("ca_file", AttrMode::kOptional, false, "Extra CA bundle (PEM)."),
                  insecure, rate_limit, max_concurrency, modules::TimeoutAttribute()};
  return s;
}

/// BitbucketServer owns the HTTP client and API of one server block and its resource types.
class BitbucketServer : public provider::Server {
 public:
  BitbucketServer(ServerSettings settings, std::unique_ptr<http::HttpClient> client)
      : client_(std::move(client)),
        api_(std::move(settings), *client_),
        webhooks_(api_),
        project_webhooks_(api_),
        access_tokens_(api_),
        application_links_(api_),
        oauth2_clients_(api_) {}

  provider::ResourceType* Resource(const std::string& type) override {
    for (provider::ResourceType* served : std::initializer_list<provider::ResourceType*>{
             &webhooks_, &project_webhooks_, &access_tokens_, &application_links_, &oauth2_clients_})
      if (served->schema().type == type) return served;
    return nullptr;
  }

  Result<Value> ReadDataSource(const std::string& type, const Value::Map& arguments) override {
    return ReadBitbucketDataSource(api_, type, arguments);
  }

  Status Verify() override {
    auto user = api_.VerifyIdentity();
    return user.ok() ? Status::Ok() : user.status();
  }

 private:
  std::unique_ptr<http::HttpClient> client_;
  BitbucketApi api_;
  WebhookType webhooks_;
  ProjectWebhookType project_webhooks_;
  AccessTokenType access_tokens_;
  ApplicationLinkType application_links_;
  OAuth2ClientType oauth2_clients_;
};

}  // namespace

const ResourceSchema& ServerSchema() {
  static const ResourceSchema kSchema = MakeServerSchema();
  return kSchema;
}

std::vector<const ResourceSchema*> BitbucketProvider::Schemas() const {
  return {&ServerSchema(),          &WebhookSchema(),         &ProjectWebhookSchema(), &AccessTokenSchema(),
          &ApplicationLinkSchema(), &OAuth2ClientSchema(),    &RepositoriesSchema(),   &ProjectsSchema(),
          &ApplicationPropertiesSchema()};
}

Result<std::unique_ptr<provider::Server>> BitbucketProvider::Configure(const std::string& server_name,
                                                                       const Value::Map& config) {
  ServerSettings settings;
  settings.url = StringField(config, "url");
  settings.token = StringField(config, "token");
  settings.username = StringField(config, "username");
  settings.password = StringField(config, "password");
  if (settings.token.empty() && settings.username.empty())
    return Status::Error(fmt::format("bitbucket.server \"{}\": set token, or username and password", server_name));
  http::ClientOptions options;
  options.ca_file = StringField(config, "ca_file");
  auto insecure = config.find("insecure");
  options.insecure = insecure != config.end() && insecure->second.is_bool() && insecure->second.as_bool();
  // Enough in flight for the engine's default parallelism; a busy server can be given less.
  options.max_concurrency_per_host = 32;
  if (auto it = config.find("max_concurrency"); it != config.end() && it->second.is_int() && it->second.as_int() > 0)
    options.max_concurrency_per_host = static_cast<int>(it->second.as_int());
  if (auto it = config.find("rate_limit"); it != config.end() && it->second.is_number())
    options.rate_limit_per_second = it->second.as_number();
  modules::ApplyTimeout(config, options);
  settings.max_concurrency = options.max_concurrency_per_host;
  std::unique_ptr<provider::Server> server =
      std::make_unique<BitbucketServer>(std::move(settings), make_client_(options));
  return server;
}

}  // namespace stashform::bitbucket
