#include "modules/bitbucket/application_properties.h"

#include <boost/json.hpp>

#include <cctype>

#include "modules/bitbucket/resource_util.h"

namespace stashform::bitbucket {

namespace {

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "bitbucket.application_properties";
  s.server_type = "bitbucket.server";
  s.is_data_source = true;
  s.description = "The server's version: a map with version, build_number, display_name, major and minor.";
  return s;
}

/// The leading number of `text` from `pos`, moving pos past it and one dot; 0 when none.
int64_t NextNumber(const std::string& text, size_t& pos) {
  int64_t number = 0;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) number = number * 10 + (text[pos++] - '0');
  if (pos < text.size() && text[pos] == '.') ++pos;
  return number;
}

}  // namespace

const ResourceSchema& ApplicationPropertiesSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

Result<Value> ReadApplicationProperties(const BitbucketApi& api) {
  auto answer = api.Call("GET", "/rest/api/1.0/application-properties");
  if (!answer.ok()) return Status::Error("bitbucket.application_properties: " + answer.message());
  const std::string version = JsonString(answer->body, "version");
  if (version.empty()) return Status::Error("bitbucket.application_properties: the answer has no version");
  size_t pos = 0;
  const int64_t major = NextNumber(version, pos);
  const int64_t minor = NextNumber(version, pos);
  return Value(Value::Map{{"version", Value(version)},
                          {"build_number", Value(JsonString(answer->body, "buildNumber"))},
                          {"display_name", Value(JsonString(answer->body, "displayName"))},
                          {"major", Value(major)},
                          {"minor", Value(minor)}});
}

}  // namespace stashform::bitbucket
