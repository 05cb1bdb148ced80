#include "modules/spacelift/common.h"

#include <boost/json.hpp>

namespace stashform::spacelift {

std::string JsonText(const boost::json::value& object, const char* key) {
  const boost::json::value* value = object.is_object() ? object.as_object().if_contains(key) : nullptr;
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

bool JsonBool(const boost::json::value& object, const char* key) {
  const boost::json::value* value = object.is_object() ? object.as_object().if_contains(key) : nullptr;
  return value && value->is_bool() && value->as_bool();
}

}  // namespace stashform::spacelift
