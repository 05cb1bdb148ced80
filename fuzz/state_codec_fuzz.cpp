// Fuzz target: the state codec. Any text is refused with a message or decoded; a decoded state
// encodes to text that decodes again to the same encoding (what is written can be read).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "state/state.h"

using namespace stashform;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto state = state::DecodeState(text, "fuzz.stashform.json");
  if (state.ok()) {
    std::string encoded = state::EncodeState(*state);
    auto again = state::DecodeState(encoded, "re-encoded");
    if (!again.ok() || state::EncodeState(*again) != encoded) std::abort();
  }
  (void)state::DecodeChanges(text, "fuzz journal record");
  return 0;
}
