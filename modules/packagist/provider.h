#pragma once
// The Private Packagist provider: the `packagist.account` block and its resource types
// (packagist.credential, packagist.vcs_package) and data source (packagist.synchronizations).

#include <functional>
#include <memory>

#include "modules/http/http_client.h"
#include "modules/provider/provider.h"

namespace stashform::packagist {

/// Builds the HTTP client of one account (the same shape as bitbucket::HttpClientFactory).
using HttpClientFactory = std::function<std::unique_ptr<http::HttpClient>(const http::ClientOptions&)>;

const ResourceSchema& AccountSchema();

/// The provider the CLI registers: `registry.Add(packagist::MakePackagistProvider(factory))`.
std::unique_ptr<provider::Provider> MakePackagistProvider(HttpClientFactory make_client);

}  // namespace stashform::packagist
