// Discovery of webhooks that nobody declared, on the repositories and projects stashform manages,
// and the lookup by natural key that keeps a lost or second state from making a duplicate.

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
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

namespace {

/// Bitbucket numbers webhooks in creation order: the lower id is the older one.
bool OlderFirst(const provider::ImportResponse& a, const provider::ImportResponse& b) {
  return std::strtoll(a.id.c_str(), nullptr, 10) < std::strtoll(b.id.c_str(), nullptr, 10);
}

}  // namespace

std::vector<provider::FoundObjects> WebhookType::FindMany(const std::vector<Value::Map>& natural_keys) {
  std::map<std::string, std::vector<size_t>> by_container;
  for (size_t i = 0; i < natural_keys.size(); ++i) by_container[WebhooksPath(scope_, natural_keys[i])].push_back(i);
  std::vector<std::pair<std::string, std::vector<size_t>>> groups(by_container.begin(), by_container.end());
  std::vector<provider::FoundObjects> answers(natural_keys.size());
  // Each listing is independent, as in ReadMany; each group writes only its own answers.
  ForEachConcurrently(groups.size(), api_.settings().max_concurrency, [&](size_t g) {
    const auto& [path, indexes] = groups[g];
    auto listing = api_.ListAll(path);
    if (!listing.ok()) {
      // A repository that does not exist has no webhook: the create will say what is wrong.
      if (!listing.status().IsNotFound())
        for (size_t i : indexes) answers[i].diagnostics.Error({}, "", listing.message());
      return;
    }
    for (const auto& hook : *listing) {
      if (!hook.is_object()) continue;
      for (size_t i : indexes) {
        Value::Map attributes = WebhookFromJson(scope_, natural_keys[i], hook, {});
        if (StringField(attributes, "name") != StringField(natural_keys[i], "name") ||
            StringField(attributes, "url") != StringField(natural_keys[i], "url"))
          continue;
        provider::ImportResponse found = FoundResponse(JsonId(hook), std::move(attributes));
        found.import_id = ImportIdOf(found.attributes, found.id);
        answers[i].objects.push_back(std::move(found));
      }
    }
    for (size_t i : indexes) std::sort(answers[i].objects.begin(), answers[i].objects.end(), OlderFirst);
  });
  return answers;
}

std::string WebhookType::ImportIdOf(const Value::Map& attributes, const std::string& id) const {
  std::string place;
  for (const auto& key : WebhookScopeKeys(scope_)) place += StringField(attributes, key) + "/";
  return place + id;
}

}  // namespace stashform::bitbucket
