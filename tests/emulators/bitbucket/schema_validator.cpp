#include "tests/emulators/bitbucket/schema_validator.h"

#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>

namespace stashform::emulator::testing {

SchemaValidator::SchemaValidator(boost::json::value document) : document_(std::move(document)) {}

const boost::json::value& SchemaValidator::Resolve(const boost::json::value& schema) const {
  const auto* ref = schema.as_object().if_contains("$ref");
  if (!ref) return schema;
  const std::string prefix = "#/components/schemas/";
  std::string target(ref->as_string());
  return document_.at("components").at("schemas").at(target.substr(prefix.size()));
}

std::vector<std::string> SchemaValidator::Validate(const std::string& schema_name,
                                                   const boost::json::value& value) const {
  std::vector<std::string> problems;
  Check(document_.at("components").at("schemas").at(schema_name), value, schema_name, problems);
  return problems;
}

std::vector<std::string> SchemaValidator::ValidateAgainst(const boost::json::value& schema,
                                                          const boost::json::value& value,
                                                          const std::string& path) const {
  std::vector<std::string> problems;
  Check(schema, value, path, problems);
  return problems;
}

namespace {
bool TypeMatches(const std::string& type, const std::string& format, const boost::json::value& value) {
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_bool();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "number") return value.is_number();
  if (type == "integer") {
    if (!value.is_int64() && !value.is_uint64()) return false;
    if (format == "int32" && value.is_int64())
      return value.as_int64() >= std::numeric_limits<int>::min() && value.as_int64() <= std::numeric_limits<int>::max();
    return format != "int32" || value.is_int64();
  }
  return true;
}
}  // namespace

void SchemaValidator::Check(const boost::json::value& raw_schema, const boost::json::value& value,
                            const std::string& path, std::vector<std::string>& problems) const {
  const auto& schema = Resolve(raw_schema).as_object();
  if (value.is_null()) {
    if (!(schema.contains("nullable") && schema.at("nullable").as_bool())) problems.push_back(path + ": null");
    return;
  }
  std::string type = schema.contains("type") ? std::string(schema.at("type").as_string())
                                             : (schema.contains("properties") ? "object" : "");
  std::string format = schema.contains("format") ? std::string(schema.at("format").as_string()) : "";
  if (!type.empty() && !TypeMatches(type, format, value)) {
    problems.push_back(path + ": expected " + type + (format.empty() ? "" : "/" + format) + ", got " +
                       boost::json::serialize(value));
    return;
  }
  if (const auto* allowed = schema.if_contains("enum")) {
    bool found = false;
    for (const auto& option : allowed->as_array()) found = found || option == value;
    if (!found) problems.push_back(path + ": " + boost::json::serialize(value) + " is not in the enum");
  }
  if (value.is_array()) {
    if (const auto* items = schema.if_contains("items"))
      for (std::size_t i = 0; i < value.as_array().size(); ++i)
        Check(*items, value.as_array()[i], path + "[" + std::to_string(i) + "]", problems);
    if (schema.contains("uniqueItems") && schema.at("uniqueItems").as_bool()) {
      std::set<std::string> seen;
      for (const auto& item : value.as_array())
        if (!seen.insert(boost::json::serialize(item)).second) problems.push_back(path + ": duplicate item");
    }
  }
  if (!value.is_object()) return;
  const auto* properties = schema.if_contains("properties");
  if (const auto* required = schema.if_contains("required"))
    for (const auto& name : required->as_array())
      if (!value.as_object().contains(name.as_string()))
        problems.push_back(path + ": missing required " + std::string(name.as_string()));
  if (!properties || properties->as_object().empty()) return;  // a free-form object
  for (const auto& [name, field] : value.as_object()) {
    const auto* field_schema = properties->as_object().if_contains(name);
    if (!field_schema) {
      problems.push_back(path + "." + std::string(name) + ": not in the schema");
      continue;
    }
    Check(*field_schema, field, path + "." + std::string(name), problems);
  }
}

SchemaValidator LoadBitbucketSchemas() {
  std::ifstream file(std::string(STASHFORM_EMULATOR_FIXTURES) + "/bitbucket-schemas.json");
  if (!file) throw std::runtime_error("cannot read bitbucket-schemas.json");
  std::stringstream text;
  text << file.rdbuf();
  return SchemaValidator(boost::json::parse(text.str()));
}

}  // namespace stashform::emulator::testing
