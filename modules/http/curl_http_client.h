#pragma once
// CurlHttpClient sends requests with libcurl, reusing connections and retrying transient failures.

#include <memory>

#include "base/clock.h"
#include "modules/http/http_client.h"

namespace stashform::http {

/// CurlHttpClient is the production HttpClient: keep-alive connections, timeouts, TLS checks,
/// proxies from the environment, retries with backoff. It knows nothing of any platform's API
/// (no auth, no XSRF header); callers set those headers. Thread-safe; one instance per server.
class CurlHttpClient : public HttpClient {
 public:
  explicit CurlHttpClient(ClientOptions options, Clock& clock = SystemClock::Instance());
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Response Send(const Request& request) override;
  void ReportWaiting(const std::string& line) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stashform::http
