#include "reconciler/engine/outputs.h"

#include "reconciler/engine/references.h"

namespace stashform::engine {

Value::Map ResolveOutputs(const dsl::Config& config, const state::State& state) {
  ReferenceLookup lookup = [&](const std::string& text, const std::string& attribute) -> std::optional<Value> {
    auto address = ResourceAddress::Parse(text);
    const auto* resource = address ? state.Find(*address) : nullptr;
    return resource ? RecordedValue(*resource, attribute) : std::nullopt;
  };
  Value::Map outputs;
  for (const auto& output : config.outputs) {
    Value value = Resolve(output.value, lookup);
    if (output.sensitive) value.MarkSensitive();
    outputs[output.name] = value;
  }
  return outputs;
}

}  // namespace stashform::engine
