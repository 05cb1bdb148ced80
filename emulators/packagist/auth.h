#pragma once
// The emulator's own reading of Packagist's request signature (PACKAGIST-HMAC-SHA256, version 2,
// platforms.md §3.2), written apart from the client's so that the two keep each other honest:
// every /api request must carry a valid one, a timestamp within the window and an unseen cnonce.

#include "emulators/common/http.h"
#include "emulators/packagist/model.h"

#include <string>

namespace stashform::emulator::packagist {

/// The verdict on one request: the API key when valid, else why it was refused.
struct SignatureVerdict {
  bool valid = false;
  std::string key;
  std::string reason;  // "valid", or e.g. "signature mismatch", "timestamp 40 s old", "cnonce reused"
};

/// Checks the Authorization header against the request (method, Host without port, raw path,
/// query, body) and the key's secret; a valid cnonce is remembered for the timestamp window.
SignatureVerdict VerifySignature(State& state, const Request& request, std::int64_t now_seconds);

/// base64(HMAC-SHA256(secret, text)), for the verdict and for tests.
std::string SignatureOf(const std::string& secret, const std::string& text);

/// The text the signature covers, as the emulator reads the algorithm.
std::string SignedText(const std::string& method, const std::string& host, const std::string& path,
                       const std::string& query, const std::string& body, const std::string& key,
                       const std::string& timestamp, const std::string& cnonce);

}  // namespace stashform::emulator::packagist
