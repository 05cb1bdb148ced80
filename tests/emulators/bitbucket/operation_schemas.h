#pragma once
// OperationSchemas checks an emulator answer against the response its operation documents in the
// 9.4 OpenAPI document (fixtures/bitbucket-operations.json, made by extract_operations.py): the
// status must be one the operation lists, and a JSON body must fit that status's schema.

#include "tests/emulators/bitbucket/schema_validator.h"

#include <boost/json.hpp>
#include <httplib.h>

#include <string>
#include <vector>

namespace stashform::emulator::testing {

class OperationSchemas {
 public:
  static OperationSchemas Load();
  /// Problems of `answer` as an answer of `operation_id`, as "path: what"; empty when it fits.
  std::vector<std::string> Check(const std::string& operation_id, const httplib::Result& answer) const;
  /// Whether the operation documents a schema for `status` (raw, browse and archive document none).
  bool HasSchema(const std::string& operation_id, int status) const;

 private:
  OperationSchemas(boost::json::value document, SchemaValidator validator)
      : document_(std::move(document)), validator_(std::move(validator)) {}
  const boost::json::object* Response(const std::string& operation_id, int status) const;
  boost::json::value document_;
  SchemaValidator validator_;
};

}  // namespace stashform::emulator::testing
