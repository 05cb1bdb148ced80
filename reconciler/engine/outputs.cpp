#include "reconciler/engine/outputs.h"

#include "reconciler/engine/references.h"

namespace stashform::engine {

Value::Map ResolveOutputs(const dsl::Config& config, const state::State& state) {
  ReferenceLookup lookup = RecordedLookup(state);
  Value::Map outputs;
  for (const auto& output : config.outputs) {
    Value value = Resolve(output.value, lookup);
    if (output.sensitive) value.MarkSensitive();
    outputs[output.name] = value;
  }
  return outputs;
}

}  // namespace stashform::engine
