#pragma once
// Small helpers shared by the Spacelift resource types: schema attributes, reading planned
// values, and JSON fields of answers.

#include <boost/json/value.hpp>

#include <string>

#include "reconciler/base/schema.h"
#include "reconciler/base/value.h"

namespace stashform::spacelift {


std::string JsonText(const boost::json::value& object, const char* key);
bool JsonBool(const boost::json::value& object, const char* key);

}  // namespace stashform::spacelift
