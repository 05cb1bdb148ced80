// Fuzz target: the Private Packagist client's answers (JSON, Link paging, error bodies) through
// every resource type of the real provider.

#include <cstddef>
#include <cstdint>

#include "fuzz/provider_reads.h"
#include "modules/packagist/provider.h"

using namespace stashform;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fuzz::ScriptedAnswers* answers = nullptr;
  static auto provider = packagist::MakePackagistProvider(fuzz::ScriptedClientFactory(answers));
  fuzz::ScriptedAnswers scripted(data, size);
  answers = &scripted;
  fuzz::ExerciseReads(*provider, {{"url", Value("https://packagist.fuzz.example")},
                                  {"api_key", Value("packagist_ack_k")}, {"api_secret", Value("packagist_acs_s")}});
  return 0;
}
