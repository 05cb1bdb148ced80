// Fuzz target: the saved-plan reader, as `apply PLANFILE` reads a plan file: the envelope, the
// payload, then the servers, the state edits and the plan itself.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "reconciler/cli/saved_plan_codec.h"
#include "reconciler/cli/saved_plan_payload.h"
#include "state/saved_plan.h"

using namespace stashform;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto saved = state::DecodeSavedPlan(text, "fuzz.tfplan");
  // The payload is also read on its own, so that the fuzzer need not wrap every try in an envelope.
  auto payload = cli::DecodePayload(saved.ok() ? saved->plan : std::string(text));
  if (!payload.ok()) return 0;
  cli::SavedPlanReader reader(payload->plan, [](const std::string&) { return std::optional<std::string>(); });
  (void)reader.Servers();
  (void)reader.StateEdits();
  state::State empty;
  (void)reader.Plan(empty);
  return 0;
}
