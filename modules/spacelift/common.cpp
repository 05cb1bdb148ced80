#include "modules/spacelift/common.h"

#include <boost/json.hpp>

namespace stashform::spacelift {

AttributeSchema Attr(std::string name, AttrType type, AttrMode mode, std::string description) {
  AttributeSchema attr;
  attr.name = std::move(name);
  attr.type = type;
  attr.mode = mode;
  attr.description = std::move(description);
  return attr;
}

std::string Text(const Value::Map& map, const std::string& key) {
  auto it = map.find(key);
  return it != map.end() && it->second.is_string() ? it->second.as_string() : "";
}

std::string JsonText(const boost::json::value& object, const char* key) {
  const boost::json::value* value = object.is_object() ? object.as_object().if_contains(key) : nullptr;
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

bool JsonBool(const boost::json::value& object, const char* key) {
  const boost::json::value* value = object.is_object() ? object.as_object().if_contains(key) : nullptr;
  return value && value->is_bool() && value->as_bool();
}

}  // namespace stashform::spacelift
