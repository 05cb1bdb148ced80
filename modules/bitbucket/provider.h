#pragma once
// The Bitbucket Data Center provider: the `bitbucket.server` block and its resource types.

#include <functional>
#include <memory>

#include "modules/http/http_client.h"
#include "modules/provider/provider.h"

namespace stashform::bitbucket {

using HttpClientFactory = std::function<std::unique_ptr<http::HttpClient>(const http::ClientOptions&)>;

const ResourceSchema& ServerSchema();

/// BitbucketProvider configures one BitbucketApi per server block; it never decides actions.
class BitbucketProvider : public provider::Provider {
 public:
  explicit BitbucketProvider(HttpClientFactory make_client) : make_client_(std::move(make_client)) {}

  std::string name() const override { return "bitbucket"; }
  std::vector<const ResourceSchema*> Schemas() const override;
  Result<std::unique_ptr<provider::Server>> Configure(const std::string& server_name,
                                                      const Value::Map& config) override;

 private:
  HttpClientFactory make_client_;
};

}  // namespace stashform::bitbucket
