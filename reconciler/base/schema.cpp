#include "reconciler/base/schema.h"

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

#include "reconciler/base/digest.h"

namespace stashform {

bool AttributeValuesEqual(const AttributeSchema& attr, const Value& desired, const Value& recorded) {
  if (desired.ContainsUnknown() || recorded.ContainsUnknown()) return false;
  if (attr.write_only && desired.is_string() && !IsSecretDigest(desired.as_string())) {
    if (recorded.is_null()) return desired.as_string().empty();
    return recorded.is_string() && SecretDigest(desired.as_string()) == recorded.as_string();
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
