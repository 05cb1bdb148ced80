// The schema of backstage.app_config: flat attributes, one per owned key (app_config_keys.cpp).
#include <regex>

#include "modules/backstage/app_config.h"

namespace stashform::backstage {

namespace {

std::string CheckHost(const Value& value) {
  if (!value.is_string()) return "";
  const std::string& host = value.as_string();
  if (host.empty() || host.find("://") != std::string::npos || host.find('/') != std::string::npos)
    return "expected a host with an optional port, e.g. bitbucket.example.com:7990 (no scheme, no path)";
  return "";
}

std::string CheckUrl(const Value& value) {
  if (!value.is_string()) return "";
  const std::string& url = value.as_string();
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 ? "" : "expected an http:// or https:// URL";
}

// Backstage compiles the filters with JavaScript's RegExp; std::regex's ECMAScript grammar is the
// closest reading here.
std::string CheckRegex(const Value& value) {
  if (!value.is_string()) return "";
  try {
    std::regex compiled(value.as_string(), std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    return "not a valid regular expression: " + std::string(error.what());
  }
  return "";
}

std::string CheckEnvName(const Value& value) {
  if (!value.is_string()) return "";
  static const std::regex kName("[A-Za-z_][A-Za-z0-9_]*");
  return std::regex_match(value.as_string(), kName) ? "" : "expected an environment variable name, e.g. BITBUCKET_TOKEN";
}

std::string CheckPositive(const Value& value) {
  return value.is_int() && value.as_int() <= 0 ? "expected a positive number" : "";
}

AttributeSchema Attr(const char* name, AttrType type, const char* description, Value default_value = Value()) {
  AttributeSchema attr = MakeAttribute(name, type, AttrMode::kOptional, description);
  attr.default_value = std::move(default_value);
  if (type == AttrType::kInt) attr.check = CheckPositive;
  return attr;
}

AttributeSchema Secret(const char* name, const char* description) {
  AttributeSchema attr = MakeAttribute(name, AttrType::kString, AttrMode::kOptional, description);
  attr.sensitive = true;
  attr.write_only = true;
  return attr;
}

AttributeSchema Checked(AttributeSchema attr, std::function<std::string(const Value&)> check) {
  attr.check = std::move(check);
  return attr;
}

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "backstage.app_config";
  s.server_type = "backstage.instance";
  s.description = "A Backstage app-config YAML fragment: Bitbucket Server integration, catalog discovery, events, sign-in.";
  s.natural_key = {"path"};
  auto path = MakeAttribute("path", AttrType::kString, AttrMode::kRequired, "The YAML file stashform owns keys of.");
  path.force_new = true;
  auto host = Checked(MakeAttribute("host", AttrType::kString, AttrMode::kOptionalComputed,
                                    "integrations.bitbucketServer[].host: the Bitbucket host, with its port "
                                    "(default: api_base_url's)."),
                      CheckHost);
  auto secrets = Attr("secrets", AttrType::kString, "How secrets are written: \"env\" (${NAME}) or \"literal\".", Value("env"));
  secrets.allowed = {"env", "literal"};
  s.attributes = {
      path, host,
      Checked(Attr("api_base_url", AttrType::kString, "apiBaseUrl, e.g. https://host/context/rest/api/1.0."), CheckUrl),
      Secret("token", "token: an HTTP access token (Bearer)."),
      Attr("username", AttrType::kString, "username for Basic auth (when there is no token)."),
      Secret("password", "password for Basic auth."),
      Attr("throttling_count", AttrType::kInt, "throttling.count: requests per interval."),
      Attr("throttling_interval_seconds", AttrType::kInt, "throttling.interval.seconds."),
      secrets,
      Checked(Attr("token_env", AttrType::kString, "The variable ${...} names for token.", Value("BITBUCKET_TOKEN")), CheckEnvName),
      Checked(Attr("password_env", AttrType::kString, "The variable for password.", Value("BITBUCKET_PASSWORD")), CheckEnvName),
      Attr("provider_id", AttrType::kString, "catalog.providers.bitbucketServer.<id>.", Value("default")),
      Checked(Attr("catalog_host", AttrType::kString, "The catalog provider's host; must be an integration's (default: host)."), CheckHost),
      Attr("catalog_path", AttrType::kString, "catalogPath in every repository.", Value("/catalog-info.yaml")),
      Checked(Attr("project_key_pattern", AttrType::kString, "filters.projectKey: a regular expression."), CheckRegex),
      Checked(Attr("repo_slug_pattern", AttrType::kString, "filters.repoSlug: a regular expression."), CheckRegex),
      Attr("skip_archived_repos", AttrType::kBool, "filters.skipArchivedRepos."),
      Attr("branch", AttrType::kString, "filters.branch: the branch catalog files are read from."),
      Attr("schedule_frequency_minutes", AttrType::kInt, "schedule.frequency.minutes.", Value(30)),
      Attr("schedule_timeout_minutes", AttrType::kInt, "schedule.timeout.minutes.", Value(3)),
      Attr("schedule_initial_delay_seconds", AttrType::kInt, "schedule.initialDelay.seconds."),
      Attr("events", AttrType::kBool, "Adds bitbucketServer to events.http.topics (webhook refresh).", Value(false)),
      Attr("auth_environment", AttrType::kString, "auth.providers.bitbucketServer.<environment>.", Value("development")),
      Checked(Attr("auth_host", AttrType::kString, "The sign-in provider's host (default: host)."), CheckHost),
      Attr("auth_client_id", AttrType::kString, "The OAuth 2 incoming link's client id; sign-in is written only with it."),
      Secret("auth_client_secret", "The OAuth 2 incoming link's client secret."),
      Checked(Attr("client_secret_env", AttrType::kString, "The variable for auth_client_secret.", Value("BITBUCKET_CLIENT_SECRET")),
              CheckEnvName),
  };
  return s;
}

}  // namespace

const ResourceSchema& AppConfigSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

}  // namespace stashform::backstage
