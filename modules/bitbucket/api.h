#pragma once
// BitbucketApi is one Bitbucket Data Center server seen through its REST API: it adds
// credentials, follows paging to the end and turns error envelopes into one-line messages.
// It knows no resource type; webhook.cpp and its siblings build on it.

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "modules/http/http_client.h"
#include "base/status.h"

namespace stashform::bitbucket {

/// Where and as whom to talk to a server.
struct ServerSettings {
  std::string url;       // base URL including any context path, e.g. http://host:7990/bitbucket
  std::string token;     // HTTP access token (Bearer); or:
  std::string username;  // Basic auth with password
  std::string password;
  /// Listings a refresh runs at once (the HTTP client's per-host limit bounds them too).
  int max_concurrency = 32;
};

/// ApiAnswer is a parsed 2xx answer, or the one-line error that names the call and the server's words.
struct ApiAnswer {
  long status = 0;
  http::Headers headers;
  boost::json::value body;  // null for empty bodies
};

class BitbucketApi {
 public:
  BitbucketApi(ServerSettings settings, http::HttpClient& client);

  /// `path` is relative to the base URL, e.g. "/rest/api/1.0/projects/INFRA/repos/api/webhooks".
  Result<ApiAnswer> Call(const std::string& method, const std::string& path,
                         const boost::json::value* body = nullptr, bool retry_safe = true) const;
  /// GET of every page of a paged listing (start/limit/nextPageStart), values concatenated.
  Result<std::vector<boost::json::value>> ListAll(const std::string& path) const;

  /// Reads application-properties and checks that the server knows who we are (X-AUSERNAME):
  /// a wrong URL, an unreachable host or rejected credentials each give one line.
  Result<std::string> VerifyIdentity() const;

  const ServerSettings& settings() const { return settings_; }

 private:
  std::string ErrorText(const http::Request& request, const http::Response& response) const;
  ServerSettings settings_;
  // The Authorization header's value, made once: every call sends the same (empty: none).
  std::string authorization_;
  http::HttpClient& client_;
};

/// Percent-encodes one path segment (project keys are safe; repository slugs and ids usually too).
std::string PathSegment(const std::string& text);

/// Message of the first error in a Bitbucket error envelope, or "" when the body is not one.
std::string ErrorEnvelopeMessage(const std::string& body);

}  // namespace stashform::bitbucket
