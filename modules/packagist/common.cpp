#include "modules/packagist/common.h"

#include <boost/json.hpp>

#include "base/attribute_checks.h"
#include "modules/packagist/signature.h"

namespace stashform::packagist {

namespace json = boost::json;

std::string JsonText(const json::value& object, const char* key) {
  const json::value* value = object.is_object() ? object.as_object().if_contains(key) : nullptr;
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

std::string JsonId(const json::value& object, const char* key) {
  const json::value* value = object.is_object() ? object.as_object().if_contains(key) : nullptr;
  if (!value) return "";
  if (value->is_string()) return std::string(value->as_string());
  if (value->is_int64()) return std::to_string(value->as_int64());
  if (value->is_uint64()) return std::to_string(value->as_uint64());
  return "";
}

std::string CheckHttpUrl(const Value& value) { return CheckAbsoluteHttpUrl(value); }

std::string PathSegment(const std::string& text) {
  // Package names hold a '/', which stays: Packagist's routes take vendor/name as two segments.
  std::string out;
  size_t start = 0;
  while (true) {
    size_t slash = text.find('/', start);
    out += Rfc3986Encode(text.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) return out;
    out += '/';
    start = slash + 1;
  }
}

}  // namespace stashform::packagist
