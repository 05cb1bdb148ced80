#include "reconciler/engine/references.h"

namespace stashform::engine {

std::optional<Value> RecordedValue(const state::ResourceState& resource, const std::string& attribute) {
  if (auto it = resource.attributes.find(attribute); it != resource.attributes.end()) return it->second;
  if (auto it = resource.private_data.find(attribute); it != resource.private_data.end())
    return Value::Sensitive(it->second);
  // A value only a lost create answer carried: the object's replacement will have one.
  if (resource.create_answer_lost) return Value::UnknownValue().MarkSensitive();
  return std::nullopt;
}

ReferenceLookup RecordedLookup(const state::State& state, std::optional<Value> absent) {
  return [&state, absent](const std::string& text, const std::string& attribute) -> std::optional<Value> {
    auto address = ResourceAddress::Parse(text);
    const auto* resource = address ? state.Find(*address) : nullptr;
    return resource ? RecordedValue(*resource, attribute) : absent;
  };
}

namespace {

Value ResolveConcat(const Value::Concat& concat, bool sensitive, const ReferenceLookup& lookup) {
  std::string text;
  for (const auto& part : concat.parts) {
    Value resolved = Resolve(part, lookup);
    if (resolved.ContainsUnknown()) return Value::UnknownValue().MarkSensitive(sensitive);
    sensitive = sensitive || resolved.sensitive();
    if (resolved.is_string()) text += resolved.as_string();
    else if (resolved.is_int()) text += std::to_string(resolved.as_int());
    else if (resolved.is_bool()) text += resolved.as_bool() ? "true" : "false";
    else if (!resolved.is_null()) text += resolved.RenderRevealed();
  }
  return Value(std::move(text)).MarkSensitive(sensitive);
}

}  // namespace

Value Resolve(const Value& value, const ReferenceLookup& lookup) {
  switch (value.kind()) {
    case Value::Kind::kReference: {
      auto found = lookup(value.as_reference().address, value.as_reference().attribute);
      Value resolved = found ? *found : Value();
      if (value.sensitive()) resolved.MarkSensitive();
      return resolved;
    }
    case Value::Kind::kConcat: return ResolveConcat(value.as_concat(), value.sensitive(), lookup);
    case Value::Kind::kList: {
      Value::List items;
      for (const auto& item : value.as_list()) items.push_back(Resolve(item, lookup));
      return Value(std::move(items)).MarkSensitive(value.sensitive());
    }
    case Value::Kind::kMap: return Value(Resolve(value.as_map(), lookup)).MarkSensitive(value.sensitive());
    default: return value;
  }
}

Value::Map Resolve(const Value::Map& attributes, const ReferenceLookup& lookup) {
  Value::Map out;
  for (const auto& [name, value] : attributes) out[name] = Resolve(value, lookup);
  return out;
}

}  // namespace stashform::engine
