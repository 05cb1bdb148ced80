// Fuzz target: the Private Packagist client's answers (JSON, Link paging, error bodies) through
// the real provider: the first byte picks one read of one resource type, the rest are its answers
// (fuzz/provider_reads.h).

#include <cstddef>
#include <cstdint>

#include "fuzz/provider_reads.h"
#include "modules/packagist/provider.h"

using namespace stashform;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fuzz::ScriptedAnswers* answers = nullptr;
  static auto provider = packagist::MakePackagistProvider(fuzz::ScriptedClientFactory(answers));
  fuzz::RunOneRead(*provider, answers, {{"url", Value("https://packagist.fuzz.example")},
                                        {"api_key", Value("packagist_ack_k")}, {"api_secret", Value("packagist_acs_s")}},
                   data, size);
  return 0;
}
