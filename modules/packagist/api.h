#pragma once
// PackagistApi is one Private Packagist organization seen through its REST API (`<url>/api`): it
// signs every try of every request as Packagist's PHP client does (signature.h; a retry gets a
// fresh timestamp and cnonce), follows `Link: <…>; rel="next"` paging, waits for the jobs that
// package changes answer with, and turns error answers into a Status with a code and the
// server's message. It is the one place that reads Packagist's wire errors. It knows no
// resource type.

#include <boost/json/value.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "modules/http/http_client.h"

namespace stashform::packagist {

/// Where and as whom to talk to an organization.
struct AccountSettings {
  std::string url = "https://packagist.com";  // the API is under <url>/api
  std::string api_key;                         // packagist_ack_…
  std::string api_secret;                      // packagist_acs_…; never in messages
};

/// A 2xx answer: its status, headers and body (null when empty).
struct ApiAnswer {
  long status = 0;
  http::Headers headers;
  boost::json::value body;
};

/// How long and how often a job is polled: the first wait, doubled after every poll up to
/// max_delay, until `limit` has passed (Packagist's JobHelper waits 180 s).
struct JobPolling {
  std::chrono::milliseconds first_delay{250};
  std::chrono::milliseconds max_delay{2000};
  std::chrono::milliseconds limit{180000};
};

class PackagistApi {
 public:
  using Progress = std::function<void(const std::string&)>;
  PackagistApi(AccountSettings settings, http::HttpClient& client, Clock& clock = SystemClock::Instance(),
               Progress progress = {}, JobPolling polling = {});

  /// `method <url>/api<path>`, signed; `body` is sent as JSON when set. Creates pass
  /// retry_safe = false (a lost answer may hide an object that now exists).
  Result<ApiAnswer> Call(const std::string& method, const std::string& path, const boost::json::value* body = nullptr,
                         bool retry_safe = true) const;

  /// Every item of a list endpoint, following rel="next" links until there is none.
  Result<std::vector<boost::json::value>> ListAll(const std::string& path) const;

  /// Polls GET /api/jobs/{id} until its status is success (the job's answer) or error (a failed
  /// Status carrying the job's message), with backoff and one progress line per poll; `what`
  /// says what the job does ("adding package https://…").
  Result<boost::json::value> WaitForJob(const std::string& job_id, const std::string& what) const;

  const AccountSettings& settings() const { return settings_; }

 private:
  http::Request MakeRequest(const std::string& method, const std::string& url, const boost::json::value* body,
                            bool retry_safe) const;
  Result<ApiAnswer> Send(const http::Request& request) const;

  AccountSettings settings_;
  http::HttpClient& client_;
  Clock& clock_;
  Progress progress_;
  JobPolling polling_;
};

/// The URL of the `rel="next"` entry of a Link header, or "".
std::string NextLink(const std::string& link_header);

/// Splits "https://host:8080/api/x/?a=1" into host ("host"), path ("/api/x/") and query ("a=1").
struct UrlParts {
  std::string host;
  std::string path;
  std::string query;
};
UrlParts SplitUrl(const std::string& url);

}  // namespace stashform::packagist
