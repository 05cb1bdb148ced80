// Discovery of webhooks that nobody declared, on the repositories and projects stashform manages.

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>
#include <set>

#include "modules/bitbucket/resource_util.h"
#include "modules/bitbucket/webhook.h"
#include "modules/bitbucket/webhook_json.h"

namespace stashform::bitbucket {

std::vector<provider::UnmanagedObject> WebhookType::ListUnmanaged(const std::vector<provider::ReadRequest>& managed,
                                                                  Diagnostics& diagnostics) {
  std::map<std::string, std::pair<Value::Map, std::set<std::string>>> containers;
  for (const auto& request : managed) {
    auto& [where, ids] = containers[WebhooksPath(scope_, request.prior)];
    where = request.prior;
    ids.insert(request.id);
  }
  std::vector<provider::UnmanagedObject> found;
  for (const auto& [path, container] : containers) {
    const auto& [where, ids] = container;
    auto listing = api_.ListAll(path);
    if (!listing.ok()) {
      diagnostics.Error({}, "", listing.message());
      continue;
    }
    for (const auto& hook : *listing) {
      if (!hook.is_object() || ids.count(JsonId(hook))) continue;
      Value::Map attributes = WebhookFromJson(scope_, where, hook, {});
      std::string place;
      for (const auto& key : WebhookScopeKeys(scope_))
        place += (place.empty() ? "" : "/") + (attributes.count(key) ? attributes.at(key).as_string() : "");
      auto text = [&](const char* key) { return attributes.count(key) && attributes.at(key).is_string() ? attributes.at(key).as_string() : ""; };
      found.push_back({JsonId(hook), fmt::format("{} webhook \"{}\" -> {}", place, text("name"), text("url")),
                       std::move(attributes)});
    }
  }
  return found;
}

}  // namespace stashform::bitbucket
