#pragma once
// Builders of AttributeSchema::check functions that platform modules share: lengths, characters,
// URLs and every-item checks. Each returns "" or a message that names the way out; the limits
// themselves belong to the module that cites where the server states them.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "base/value.h"

namespace stashform {

using AttributeCheck = std::function<std::string(const Value&)>;

/// A string of `min` to `max` characters (UTF-8 code points) without control characters:
/// `must not be empty: Bitbucket refuses an empty name`, `is 300 characters; Bitbucket takes at
/// most 255 (shorten it)`. `server` names who refuses it.
AttributeCheck TextOfLength(size_t min, size_t max, std::string server);

/// "" for an absolute http:// or https:// URL with a host and no spaces; otherwise what is wrong
/// and the fix (`add the scheme: "https://ci.example.com"`).
std::string HttpUrlProblem(const std::string& url);

/// HttpUrlProblem as a check of a string attribute.
std::string CheckAbsoluteHttpUrl(const Value& value);

/// The first problem of any check, in order.
AttributeCheck AllOf(std::vector<AttributeCheck> checks);

/// Applies `check` to each item of a list or set: `item 2: must not be empty …`.
AttributeCheck EachItem(AttributeCheck check);

}  // namespace stashform
