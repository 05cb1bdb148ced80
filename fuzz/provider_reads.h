#pragma once
// Drives one read of a platform provider (Verify, Read, ReadMany, Import, FindMany, ListUnmanaged
// or a data source, picked by the input's first byte) against a FakeHttpClient whose every answer
// comes from the fuzz input, so that the real answer parsers of the client run on bytes a server
// could send.

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
/// so a listing can get a first page and then a different second one; once they are used up every
/// further request gets a transport error, so that a listing whose every page says "more" ends
/// after a few requests instead of cycling over the answers up to the client's page cap.
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

/// One fuzz input of a platform target: configures `server_config` on `provider` and makes ONE
/// read, picked by the input's first byte among Verify and every data source and resource type's
/// Read, ReadMany, Import, FindMany and ListUnmanaged (so each input is cheap and the fuzzer can
/// steer towards one parser); the rest of the input is the script `answers` points to while it
/// runs. Any crash, hang or sanitizer report is a finding.
void RunOneRead(provider::Provider& provider, ScriptedAnswers*& answers, const Value::Map& server_config,
                const uint8_t* data, size_t size);

/// The read of RunOneRead without a script, for a provider that reads something else than HTTP
/// answers (Backstage's files): `selector` picks the read as an input's first byte does.
void MakeOneRead(provider::Provider& provider, const Value::Map& server_config, uint8_t selector);

}  // namespace stashform::fuzz
