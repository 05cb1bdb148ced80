// Fuzz target: the Bitbucket client's answer parsers (JSON pages, error envelopes, identity
// check) through every resource type and data source of the real provider.

#include <cstddef>
#include <cstdint>

#include "fuzz/provider_reads.h"
#include "modules/bitbucket/provider.h"

using namespace stashform;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fuzz::ScriptedAnswers* answers = nullptr;
  static bitbucket::BitbucketProvider provider(fuzz::ScriptedClientFactory(answers));
  fuzz::ScriptedAnswers scripted(data, size);
  answers = &scripted;
  fuzz::ExerciseReads(provider, {{"url", Value("https://bitbucket.fuzz.example/bitbucket")}, {"token", Value("t")}});
  return 0;
}
