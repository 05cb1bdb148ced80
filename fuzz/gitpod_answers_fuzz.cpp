// Fuzz target: the Gitpod client's Connect answers (messages and error envelopes) through the real
// provider: the first byte picks one read of one resource type, the rest are its answers
// (fuzz/provider_reads.h).

#include <cstddef>
#include <cstdint>

#include "fuzz/provider_reads.h"
#include "modules/gitpod/provider.h"

using namespace stashform;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fuzz::ScriptedAnswers* answers = nullptr;
  static auto provider = gitpod::MakeGitpodProvider(fuzz::ScriptedClientFactory(answers));
  fuzz::RunOneRead(*provider, answers, {{"url", Value("https://gitpod.fuzz.example")}, {"token", Value("t")},
                                        {"organization_id", Value("org-1")}},
                   data, size);
  return 0;
}
