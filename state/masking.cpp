#include "state/masking.h"

namespace stashform::state {

namespace {

Value Masked(const Value& value) {
  if (value.sensitive()) return Value::Sensitive(kMaskedValue);
  if (value.is_map()) return Value(MaskSensitive(value.as_map()));
  if (value.is_list()) {
    Value::List items;
    items.reserve(value.as_list().size());
    for (const auto& item : value.as_list()) items.push_back(Masked(item));
    return Value(std::move(items));
  }
  return value;
}

}  // namespace

Value::Map MaskSensitive(const Value::Map& map) {
  Value::Map out;
  for (const auto& [key, value] : map) out.emplace(key, Masked(value));
  return out;
}

State MaskSensitive(State state) {
  for (auto& resource : state.resources) {
    resource.attributes = MaskSensitive(resource.attributes);
    resource.private_data = MaskSensitive(resource.private_data);
  }
  state.outputs = MaskSensitive(state.outputs);
  return state;
}

}  // namespace stashform::state
