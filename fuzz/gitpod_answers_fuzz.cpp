// Fuzz target: the Gitpod client's Connect answers (messages and error envelopes) through every
// resource type of the real provider.

#include <cstddef>
#include <cstdint>

#include "fuzz/provider_reads.h"
#include "modules/gitpod/provider.h"

using namespace stashform;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fuzz::ScriptedAnswers* answers = nullptr;
  static auto provider = gitpod::MakeGitpodProvider(fuzz::ScriptedClientFactory(answers));
  fuzz::ScriptedAnswers scripted(data, size);
  answers = &scripted;
  fuzz::ExerciseReads(*provider, {{"url", Value("https://gitpod.fuzz.example")}, {"token", Value("t")},
                                  {"organization_id", Value("org-1")}});
  return 0;
}
