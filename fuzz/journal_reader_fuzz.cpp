// Fuzz target: the journal reader. Frames, the header and each record's changes are parsed as a
// restart after a crash would parse them.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "state/journal.h"

using namespace stashform;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto contents = state::ParseJournal(bytes, "fuzz.stashform.json.journal");
  if (!contents.ok()) return 0;
  if (contents->intact_bytes > size) std::abort();  // would truncate past the end of the file
  for (const auto& record : contents->records) (void)state::DecodeChanges(record, "fuzz journal record");
  return 0;
}
