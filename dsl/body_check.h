#pragma once
// Checking a declaration's attributes against its schema; pure C++, no Lua.

#include <functional>
#include <string>
#include <vector>

#include "dsl/config.h"
#include "base/schema.h"

namespace stashform::dsl {

/// One problem found in a body: `unknown attribute "urll"` with hint `did you mean "url"?`.
struct BodyProblem {
  std::string message;
  std::string hint;
};

/// Checks attributes as written against the schema: unknown, missing required, computed set,
/// wrong type (with the path inside lists), values not allowed, and the attribute's own check.
/// Normalises on the way: integral floats become integers, `{}` becomes an empty map where a map
/// is expected, and sensitive attributes are marked sensitive.
std::vector<BodyProblem> CheckAttributes(const ResourceSchema& schema, Value::Map& attributes);

/// Finds the attribute a reference points at (through its resource's schema); null if unknown.
using ReferenceResolver = std::function<const AttributeSchema*(const Value::Reference&)>;

/// Checks that references fit where they are used: `events = a.url` puts a string where a set
/// of strings belongs. What a reference will hold is checked by the engine once it resolves.
std::vector<BodyProblem> CheckReferenceTypes(const ResourceSchema& schema, const Value::Map& attributes,
                                             const ReferenceResolver& resolve);

/// Reads `lifecycle = { ... }`; ignore_changes must name attributes of the schema.
std::vector<BodyProblem> ReadLifecycle(const ResourceSchema& schema, const Value& value, Lifecycle* out);

}  // namespace stashform::dsl
