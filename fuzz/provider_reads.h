#pragma once
// Drives the read side of a platform provider (Verify, Read, ReadMany, Import, FindMany,
// ListUnmanaged, data sources) against a FakeHttpClient whose every answer comes from the fuzz
// input, so that the real answer parsers of the client run on bytes a server could send.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/value.h"
#include "modules/http/http_client.h"
#include "modules/provider/provider.h"

namespace stashform::fuzz {

/// The fuzz input cut into answers: chunks separated by "\n=====\n". A chunk's first byte picks
/// the HTTP status; then, when the chunk goes on with "H:", header lines up to a blank line
/// ("H:Link: <…>; rel=\"next\"\n\n"); the rest is the body. Requests take the answers in turn,
/// wrapping around, so a listing can get a first page and then a different second one.
class ScriptedAnswers {
 public:
  ScriptedAnswers(const uint8_t* data, size_t size);
  http::Response Next();

 private:
  std::vector<http::Response> answers_;
  size_t next_ = 0;
};

/// Answers a request before the script does when it returns a response (Spacelift's login, whose
/// JWT the fuzzer would not guess), else nothing.
using FixedAnswer = std::function<std::optional<http::Response>(const http::Request&)>;

using ClientFactory = std::function<std::unique_ptr<http::HttpClient>(const http::ClientOptions&)>;

/// A client factory for a provider's constructor: every client it makes answers from `answers`.
ClientFactory ScriptedClientFactory(ScriptedAnswers*& answers, FixedAnswer fixed = {});

/// Configures `server_config` on `provider` and asks every resource type and data source of it
/// what it can ask without writing: any crash, hang or sanitizer report is a finding.
void ExerciseReads(provider::Provider& provider, const Value::Map& server_config);

}  // namespace stashform::fuzz
