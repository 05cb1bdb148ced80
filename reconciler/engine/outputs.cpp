#include "reconciler/engine/outputs.h"

#include "reconciler/engine/references.h"

namespace stashform::engine {

Value::Map ResolveOutputs(const std::vector<DeclaredOutput>& declared, const state::State& state) {
  ReferenceLookup lookup = RecordedLookup(state);
  Value::Map outputs;
  for (const auto& output : declared) {
    Value value = Resolve(output.value, lookup);
    if (output.sensitive) value.MarkSensitive();
    outputs[output.name] = value;
  }
  return outputs;
}

}  // namespace stashform::engine
