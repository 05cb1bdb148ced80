#pragma once
// A small validator for the OpenAPI schema subset in fixtures/bitbucket-schemas.json: type, format
// int32/int64, enum, nullable, required, items, uniqueItems, $ref. Objects with declared properties
// are closed: an undeclared field is an error, because a wrong field name is what this test hunts.

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace stashform::emulator::testing {

class SchemaValidator {
 public:
  explicit SchemaValidator(boost::json::value document);
  /// Problems found, as "path: what"; empty when value fits schema_name.
  std::vector<std::string> Validate(const std::string& schema_name, const boost::json::value& value) const;
  /// The same against an inline schema whose $refs point into this document's components.
  std::vector<std::string> ValidateAgainst(const boost::json::value& schema, const boost::json::value& value,
                                           const std::string& path) const;

 private:
  void Check(const boost::json::value& schema, const boost::json::value& value, const std::string& path,
             std::vector<std::string>& problems) const;
  const boost::json::value& Resolve(const boost::json::value& schema) const;
  boost::json::value document_;
};

SchemaValidator LoadBitbucketSchemas();

}  // namespace stashform::emulator::testing
