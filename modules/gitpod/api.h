#pragma once
// GitpodApi is one Gitpod installation seen through its public API, gitpod.v1.AuthProviderService,
// over the Connect protocol with JSON bodies: `POST <api_url>/gitpod.v1.AuthProviderService/<Method>`
// with a Bearer personal access token. It is the one place that reads Connect's error envelope
// ({"code":"not_found","message":…}) and gives it a StatusCode; downstream code reads the code,
// never the text. It knows no resource type.

#include <boost/json/object.hpp>

#include <string>

#include "base/status.h"
#include "modules/http/http_client.h"

namespace stashform::gitpod {

/// Where and as whom to talk to an installation.
struct AccountSettings {
  std::string url;              // https://gitpod.example.com: the dashboard, and the OAuth callback's base
  std::string api_url;          // <url>/public-api unless set
  std::string token;            // personal access token; never in messages
  std::string organization_id;  // the default owner of auth providers; "" when none
};

/// The service every call goes to.
inline constexpr const char* kAuthProviderService = "gitpod.v1.AuthProviderService";

class GitpodApi {
 public:
  GitpodApi(AccountSettings settings, http::HttpClient& client);

  /// Sends `request` to AuthProviderService/<method> and answers the response message. A failure
  /// carries the code of Connect's envelope when the server sent one (StatusCodeOfConnect), else
  /// http::CodeOf's; its message names the method and call and carries the server's message.
  /// `retry_safe` is false for creates: a lost answer may hide an object that now exists.
  Result<boost::json::object> Call(const std::string& method, const boost::json::object& request,
                                   bool retry_safe = true) const;

  const AccountSettings& settings() const { return settings_; }

 private:
  AccountSettings settings_;
  http::HttpClient& client_;
};

/// The StatusCode of a Connect error code ("not_found" → kNotFound, "resource_exhausted" →
/// kRateLimited, …); kInternal for one not known.
StatusCode StatusCodeOfConnect(const std::string& connect_code);

}  // namespace stashform::gitpod
