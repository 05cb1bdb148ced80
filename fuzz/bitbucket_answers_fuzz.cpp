// Fuzz target: the Bitbucket client's answer parsers (JSON pages, error envelopes, identity
// check) through the real provider: the first byte picks one read of one resource type or data
// source, the rest are its answers (fuzz/provider_reads.h).

#include <cstddef>
#include <cstdint>

#include "fuzz/provider_reads.h"
#include "modules/bitbucket/provider.h"

using namespace stashform;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fuzz::ScriptedAnswers* answers = nullptr;
  static bitbucket::BitbucketProvider provider(fuzz::ScriptedClientFactory(answers));
  fuzz::RunOneRead(provider, answers, {{"url", Value("https://bitbucket.fuzz.example/bitbucket")}, {"token", Value("t")}},
                   data, size);
  return 0;
}
