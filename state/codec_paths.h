#pragma once
// Sensitive paths: where inside a map of values the sensitive marks sit, written as
// `secret`, `credentials.password`, `headers[0]`, or `labels["a.b"]` for keys that need quoting.

#include <optional>
#include <string>
#include <vector>

#include "base/value.h"

namespace stashform::state {

/// Paths of the outermost sensitive values in `map`, in key order.
std::vector<std::string> SensitivePaths(const Value::Map& map);

/// Marks the value at `path` sensitive; false when the path is malformed or names nothing.
bool MarkSensitivePath(Value::Map& map, const std::string& path);

}  // namespace stashform::state
