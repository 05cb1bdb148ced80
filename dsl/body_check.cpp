#include "dsl/body_check.h"

#include <algorithm>
#include <cmath>

#include "dsl/lua_values.h"
#include "base/did_you_mean.h"

namespace stashform::dsl {

namespace {

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

// Unknown values (unreadable, or known after apply) and references are checked by the engine
// once they resolve; checking them here would only report false problems.
bool KnownLater(const Value& value) { return value.is_unknown() || value.is_reference() || value.is_concat(); }

std::string ExpectedGot(const std::string& path, const std::string& expected, const Value& got) {
  return path + ": expected " + expected + ", got " + LuaTypeName(got);
}

// `expected one of "a", "b"` for short lists; a long list would drown the message.
std::string AllowedHint(const std::string& word, const std::vector<std::string>& allowed) {
  std::string hint = DidYouMean(word, allowed);
  if (!hint.empty() || allowed.size() > 8) return hint;
  hint = "expected one of ";
  for (size_t i = 0; i < allowed.size(); ++i) hint += (i ? ", " : "") + Quoted(allowed[i]);
  return hint;
}

void CheckAllowed(const AttributeSchema& attr, const std::string& path, const Value& value,
                  std::vector<BodyProblem>& problems) {
  if (attr.allowed.empty() || !value.is_string()) return;
  for (const auto& allowed : attr.allowed)
    if (allowed == value.as_string()) return;
  problems.push_back({path + ": invalid value " + Quoted(value.as_string()), AllowedHint(value.as_string(), attr.allowed)});
}

void CheckStringItems(const AttributeSchema& attr, const Value& list, std::vector<BodyProblem>& problems) {
  for (size_t i = 0; i < list.as_list().size(); ++i) {
    const Value& item = list.as_list()[i];
    const std::string path = attr.name + "[" + std::to_string(i + 1) + "]";
    if (KnownLater(item)) continue;
    if (!item.is_string())
      problems.push_back({ExpectedGot(path, "string", item), ""});
    else
      CheckAllowed(attr, path, item, problems);
  }
}

void CheckStringMap(const AttributeSchema& attr, const Value& map, std::vector<BodyProblem>& problems) {
  for (const auto& [key, item] : map.as_map())
    if (!item.is_string() && !KnownLater(item)) problems.push_back({ExpectedGot(attr.name + "." + key, "string", item), ""});
}

// Brings a value to the shape its type expects, where that loses nothing; keeps the mark.
void Normalise(const AttributeSchema& attr, Value& value) {
  const bool sensitive = value.sensitive() || attr.sensitive;
  if (attr.type == AttrType::kInt && value.kind() == Value::Kind::kNumber) {
    double number = value.as_number();
    if (std::trunc(number) == number && std::abs(number) < 9.0e15) value = Value(static_cast<int64_t>(number));
  }
  if (attr.type == AttrType::kStringMap && value.is_list() && value.as_list().empty()) value = Value(Value::Map{});
  if (sensitive) value.MarkSensitive();
}

// False when the type is wrong (then other checks of the value would only add noise).
bool CheckType(const AttributeSchema& attr, const Value& value, std::vector<BodyProblem>& problems) {
  bool ok = false;
  switch (attr.type) {
    case AttrType::kString: ok = value.is_string(); break;
    case AttrType::kBool: ok = value.is_bool(); break;
    case AttrType::kInt: ok = value.is_int(); break;
    case AttrType::kStringList:
    case AttrType::kStringSet: ok = value.is_list(); break;
    case AttrType::kStringMap: ok = value.is_map(); break;
  }
  if (!ok) {
    const bool fractional = attr.type == AttrType::kInt && value.is_number();
    problems.push_back({fractional ? attr.name + ": expected integer, got a fractional number"
                                   : ExpectedGot(attr.name, AttrTypeName(attr.type), value), ""});
    return false;
  }
  const size_t before = problems.size();
  if (attr.is_collection()) CheckStringItems(attr, value, problems);
  if (attr.type == AttrType::kStringMap) CheckStringMap(attr, value, problems);
  if (attr.type == AttrType::kString) CheckAllowed(attr, attr.name, value, problems);
  return problems.size() == before;
}

void CheckOne(const AttributeSchema& attr, Value& value, std::vector<BodyProblem>& problems) {
  if (!attr.settable()) {
    problems.push_back({"attribute " + Quoted(attr.name) + " is computed and cannot be set", ""});
    return;
  }
  Normalise(attr, value);
  if (KnownLater(value)) return;
  if (!CheckType(attr, value, problems) || !attr.check) return;
  std::string message = attr.check(value);
  if (!message.empty()) problems.push_back({attr.name + ": " + message, ""});
}

bool ReadBool(const Value::Map& map, const std::string& key, bool* out, std::vector<BodyProblem>& problems) {
  auto it = map.find(key);
  if (it == map.end()) return true;
  if (!it->second.is_bool()) {
    problems.push_back({ExpectedGot("lifecycle." + key, "boolean", it->second), ""});
    return false;
  }
  *out = it->second.as_bool();
  return true;
}

void ReadIgnoreChanges(const ResourceSchema& schema, const Value& value, Lifecycle* out,
                       std::vector<BodyProblem>& problems) {
  if (!value.is_list()) {
    problems.push_back({ExpectedGot("lifecycle.ignore_changes", "list of attribute names", value), ""});
    return;
  }
  for (size_t i = 0; i < value.as_list().size(); ++i) {
    const Value& item = value.as_list()[i];
    const std::string path = "lifecycle.ignore_changes[" + std::to_string(i + 1) + "]";
    if (!item.is_string())
      problems.push_back({ExpectedGot(path, "string", item), ""});
    else if (!schema.Find(item.as_string()))
      problems.push_back({path + ": unknown attribute " + Quoted(item.as_string()),
                          DidYouMean(item.as_string(), schema.AttributeNames())});
    else
      out->ignore_changes.push_back(item.as_string());
  }
}

}  // namespace

std::vector<BodyProblem> CheckAttributes(const ResourceSchema& schema, Value::Map& attributes) {
  std::vector<BodyProblem> problems;
  for (auto& [name, value] : attributes) {
    const AttributeSchema* attr = schema.Find(name);
    if (!attr)
      problems.push_back({"unknown attribute " + Quoted(name), DidYouMean(name, schema.AttributeNames())});
    else
      CheckOne(*attr, value, problems);
  }
  for (const auto& attr : schema.attributes)
    if (attr.mode == AttrMode::kRequired && !attributes.count(attr.name))
      problems.push_back({"missing required attribute " + Quoted(attr.name), ""});
  return problems;
}

namespace {

bool Compatible(AttrType target, AttrType source) {
  const auto collection = [](AttrType t) { return t == AttrType::kStringList || t == AttrType::kStringSet; };
  return target == source || (collection(target) && collection(source));
}

void CheckOneReference(const std::string& path, AttrType expected, const Value& value,
                       const ReferenceResolver& resolve, std::vector<BodyProblem>& problems) {
  if (value.is_concat() && expected != AttrType::kString) {
    problems.push_back({path + ": expected " + AttrTypeName(expected) + ", got string (built with ..)", ""});
    return;
  }
  if (!value.is_reference()) return;
  const AttributeSchema* source = resolve(value.as_reference());
  if (source && !Compatible(expected, source->type))
    problems.push_back({path + ": expected " + AttrTypeName(expected) + ", got " + value.as_reference().address + "." +
                            value.as_reference().attribute + " (" + AttrTypeName(source->type) + ")", ""});
}

}  // namespace

std::vector<BodyProblem> CheckReferenceTypes(const ResourceSchema& schema, const Value::Map& attributes,
                                             const ReferenceResolver& resolve) {
  std::vector<BodyProblem> problems;
  for (const auto& [name, value] : attributes) {
    const AttributeSchema* attr = schema.Find(name);
    if (!attr) continue;
    CheckOneReference(name, attr->type, value, resolve, problems);
    if (attr->is_collection() && value.is_list())
      for (size_t i = 0; i < value.as_list().size(); ++i)
        CheckOneReference(name + "[" + std::to_string(i + 1) + "]", AttrType::kString, value.as_list()[i], resolve, problems);
    if (attr->type == AttrType::kStringMap && value.is_map())
      for (const auto& [key, item] : value.as_map())
        CheckOneReference(name + "." + key, AttrType::kString, item, resolve, problems);
  }
  return problems;
}

std::vector<BodyProblem> ReadLifecycle(const ResourceSchema& schema, const Value& value, Lifecycle* out) {
  std::vector<BodyProblem> problems;
  if (value.is_null()) return problems;  // no lifecycle: the defaults
  if (!value.is_map()) {
    if (!(value.is_list() && value.as_list().empty()))
      problems.push_back({ExpectedGot("lifecycle", "table of rules", value), ""});
    return problems;
  }
  static const std::vector<std::string> kKeys = {"prevent_destroy", "create_before_destroy", "destroy",
                                                 "ignore_changes"};
  for (const auto& [key, item] : value.as_map()) {
    if (key == "ignore_changes")
      ReadIgnoreChanges(schema, item, out, problems);
    else if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end())
      problems.push_back({"lifecycle: unknown key " + Quoted(key), DidYouMean(key, kKeys)});
  }
  ReadBool(value.as_map(), "prevent_destroy", &out->prevent_destroy, problems);
  ReadBool(value.as_map(), "create_before_destroy", &out->create_before_destroy, problems);
  ReadBool(value.as_map(), "destroy", &out->destroy, problems);
  return problems;
}

}  // namespace stashform::dsl
