#include "base/schema.h"

namespace stashform {

std::string AttrTypeName(AttrType type) {
  switch (type) {
    case AttrType::kString: return "string";
    case AttrType::kBool: return "bool";
    case AttrType::kInt: return "integer";
    case AttrType::kStringList: return "list of strings";
    case AttrType::kStringSet: return "set of strings";
    case AttrType::kStringMap: return "map of strings";
  }
  return "value";
}

AttributeSchema MakeAttribute(std::string name, AttrType type, AttrMode mode, std::string description) {
  AttributeSchema attr;
  attr.name = std::move(name);
  attr.type = type;
  attr.mode = mode;
  attr.description = std::move(description);
  return attr;
}

const AttributeSchema* ResourceSchema::Find(const std::string& name) const {
  for (const auto& attr : attributes)
    if (attr.name == name) return &attr;
  return nullptr;
}

std::vector<std::string> ResourceSchema::AttributeNames() const {
  std::vector<std::string> names;
  for (const auto& attr : attributes) names.push_back(attr.name);
  return names;
}

}  // namespace stashform

#include "base/digest.h"

namespace stashform {

bool AttributeValuesEqual(const AttributeSchema& attr, const Value& desired, const Value& recorded) {
  if (desired.ContainsUnknown() || recorded.ContainsUnknown()) return false;
  if (attr.write_only && (desired.is_null() || desired.is_string())) {
    // Unset and empty both mean "no secret"; anything else compares by digest.
    const std::string clear = desired.is_string() ? desired.as_string() : "";
    const bool recorded_none = recorded.is_null() || (recorded.is_string() && recorded.as_string().empty());
    if (clear.empty()) return recorded_none;
    const std::string digest = IsSecretDigest(clear) ? clear : SecretDigest(clear);
    return recorded.is_string() && recorded.as_string() == digest;
  }
  if (attr.type == AttrType::kStringSet) return Value::SetEqual(desired, recorded);
  return desired == recorded;
}

Value ValueForState(const AttributeSchema& attr, const Value& value) {
  if (attr.write_only && value.is_string() && !IsSecretDigest(value.as_string()))
    return Value::Sensitive(Value(value.as_string().empty() ? "" : SecretDigest(value.as_string())));
  Value out = value;
  if (attr.sensitive) out.MarkSensitive();
  return out;
}

}  // namespace stashform
