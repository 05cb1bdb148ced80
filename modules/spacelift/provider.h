#pragma once
// The Spacelift provider: the `spacelift.account` block and its resource types
// (spacelift.bitbucket_datacenter_integration, spacelift.stack_binding).

#include <functional>
#include <memory>

#include "modules/http/http_client.h"
#include "modules/provider/provider.h"

namespace stashform::spacelift {

/// Builds the HTTP client of one account (the same shape as bitbucket::HttpClientFactory).
using HttpClientFactory = std::function<std::unique_ptr<http::HttpClient>(const http::ClientOptions&)>;

const ResourceSchema& AccountSchema();

/// The provider the CLI registers: `registry.Add(spacelift::MakeSpaceliftProvider(factory))`.
std::unique_ptr<provider::Provider> MakeSpaceliftProvider(HttpClientFactory make_client);

}  // namespace stashform::spacelift
