#pragma once
// The Gitpod provider: the `gitpod.account` block and its resource type gitpod.auth_provider.

#include <functional>
#include <memory>

#include "modules/http/http_client.h"
#include "modules/provider/provider.h"

namespace stashform::gitpod {

/// Builds the HTTP client of one account (the same shape as bitbucket::HttpClientFactory).
using HttpClientFactory = std::function<std::unique_ptr<http::HttpClient>(const http::ClientOptions&)>;

const ResourceSchema& AccountSchema();

/// The provider the CLI registers: `registry.Add(gitpod::MakeGitpodProvider(factory))`.
std::unique_ptr<provider::Provider> MakeGitpodProvider(HttpClientFactory make_client);

}  // namespace stashform::gitpod
