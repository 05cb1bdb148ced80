#pragma once
// Resource addresses: `bitbucket.webhook["INFRA/api"]`, inside a module
// `module.spacelift.bitbucket.webhook["INFRA/api"]`.

#include <optional>
#include <string>

namespace stashform {

struct ResourceAddress {
  std::string module;  // "" for the root module
  std::string type;    // "bitbucket.webhook"
  std::string name;    // "INFRA/api"

  std::string ToString() const;
  static std::optional<ResourceAddress> Parse(const std::string& text);
  auto operator<=>(const ResourceAddress&) const = default;
};

}  // namespace stashform
