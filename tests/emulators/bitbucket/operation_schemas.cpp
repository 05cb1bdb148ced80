#include "tests/emulators/bitbucket/operation_schemas.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace stashform::emulator::testing {

OperationSchemas OperationSchemas::Load() {
  std::ifstream file(std::string(STASHFORM_EMULATOR_FIXTURES) + "/bitbucket-operations.json");
  if (!file) throw std::runtime_error("cannot read bitbucket-operations.json");
  std::stringstream text;
  text << file.rdbuf();
  boost::json::value document = boost::json::parse(text.str());
  boost::json::value components{{"components", document.at("components")}};
  return OperationSchemas(std::move(document), SchemaValidator(std::move(components)));
}

const boost::json::object* OperationSchemas::Response(const std::string& operation_id, int status) const {
  const auto& responses = document_.at("operations").at(operation_id).at("responses").as_object();
  const auto* response = responses.if_contains(std::to_string(status));
  return response ? &response->as_object() : nullptr;
}

bool OperationSchemas::HasSchema(const std::string& operation_id, int status) const {
  const auto* response = Response(operation_id, status);
  return response && !response->at("schema").is_null();
}

std::vector<std::string> OperationSchemas::Check(const std::string& operation_id, const httplib::Result& answer) const {
  if (!answer) return {operation_id + ": no answer"};
  const auto* response = Response(operation_id, answer->status);
  if (!response) return {operation_id + ": status " + std::to_string(answer->status) + " is not documented"};
  const boost::json::value& schema = response->at("schema");
  if (schema.is_null()) return {};
  boost::system::error_code error;
  boost::json::value body = boost::json::parse(answer->body, error);
  if (error) return {operation_id + ": the body is not JSON: " + answer->body.substr(0, 200)};
  return validator_.ValidateAgainst(schema, body, operation_id + "." + std::to_string(answer->status));
}

}  // namespace stashform::emulator::testing
