#pragma once
// JSON text helpers for state files: a stable pretty printer and a parser whose errors carry
// `file:line:col`. Boost.JSON exceptions never leave this adapter.

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "reconciler/base/status.h"

namespace stashform::state {

/// Two-space indented JSON; object keys keep their insertion order so output is stable.
std::string PrettyJson(const boost::json::value& value);

/// Parses `text`; a syntax error reads `file:line:col: <what>` (1-based, columns in bytes).
Result<boost::json::value> ParseJson(std::string_view text, const std::string& file_name);

}  // namespace stashform::state
