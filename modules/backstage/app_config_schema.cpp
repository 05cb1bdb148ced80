// The schema of backstage.app_config: flat attributes, one per owned key (app_config_keys.cpp).
#include <algorithm>
#include <cctype>
#include <regex>
#include <string_view>

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

// What std::regex (libstdc++ 12) is given to compile. Its parser recurses once per term and per
// group, so a pattern of some ten thousand characters overflows the stack; and it reads a
// repetition count (`a{n}`) or a back-reference number (`\n`) into a long without an overflow
// check, undefined behaviour from twenty digits on (dsl_loader_fuzz's
// regression-regex-repetition-count-overflow).
constexpr size_t kMaxPatternLength = 2048;
constexpr size_t kMaxPatternNumberDigits = 9;

// Why std::regex must not be given `pattern`, or "".
std::string PatternBeyondTheChecker(std::string_view pattern) {
  if (pattern.size() > kMaxPatternLength)
    return "a pattern of " + std::to_string(pattern.size()) + " characters; stashform checks patterns of up to " +
           std::to_string(kMaxPatternLength) + " (match with a shorter expression, e.g. a common prefix)";
  bool in_class = false, in_count = false;
  for (size_t at = 0; at < pattern.size(); ++at) {
    const char c = pattern[at];
    const bool number_may_follow = c == '\\' || (!in_class && c == '{') || (in_count && c == ',');
    if (number_may_follow) {
      size_t digits = 0;
      while (at + 1 + digits < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[at + 1 + digits])))
        ++digits;
      if (digits > kMaxPatternNumberDigits)
        return "the number at character " + std::to_string(at + 2) + " has " + std::to_string(digits) +
               " digits (a repetition count or a back-reference takes at most " +
               std::to_string(kMaxPatternNumberDigits) + ")";
    }
    if (c == '\\') {
      // The escaped character is taken as it is; a control escape `\cX` takes X too, whatever it
      // is, as libstdc++ reads it: `\c\` then `\1…` is a back-reference, `\c[` opens no class.
      at += at + 1 < pattern.size() && pattern[at + 1] == 'c' ? 2 : 1;
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
    } else if (c == '{') {
      in_count = true;
    } else if (c == '}') {
      in_count = false;
    }
  }
  return "";
}

// Backstage compiles the filters with JavaScript's RegExp; std::regex's ECMAScript grammar is the
// closest reading here.
std::string CheckRegex(const Value& value) {
  if (!value.is_string()) return "";
  if (std::string beyond = PatternBeyondTheChecker(value.as_string()); !beyond.empty())
    return "not checked as a regular expression: " + beyond;
  try {
    std::regex compiled(value.as_string(), std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    return "not a valid regular expression: " + std::string(error.what());
  }
  return "";
}

// Written out rather than as a std::regex: libstdc++'s matcher recurses once per character, so a
// long value overflowed the stack.
std::string CheckEnvName(const Value& value) {
  if (!value.is_string()) return "";
  const std::string& name = value.as_string();
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  auto letter_or_digit = [&](char c) { return letter(c) || (c >= '0' && c <= '9'); };
  const bool valid = !name.empty() && letter(name[0]) && std::all_of(name.begin() + 1, name.end(), letter_or_digit);
  return valid ? "" : "expected an environment variable name, e.g. BITBUCKET_TOKEN";
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
