#pragma once
// Small helpers shared by the Spacelift resource types: schema attributes, reading planned
// values, and JSON fields of answers.

#include <boost/json/value.hpp>

#include <string>

#include "reconciler/base/schema.h"
#include "reconciler/base/value.h"

namespace stashform::spacelift {

AttributeSchema Attr(std::string name, AttrType type, AttrMode mode, std::string description);

/// The string at `key`, or "" when absent or not a string.
std::string Text(const Value::Map& map, const std::string& key);
std::string JsonText(const boost::json::value& object, const char* key);
bool JsonBool(const boost::json::value& object, const char* key);

}  // namespace stashform::spacelift
