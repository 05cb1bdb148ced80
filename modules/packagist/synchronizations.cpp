#include "modules/packagist/synchronizations.h"

#include <boost/json.hpp>

#include "modules/packagist/common.h"

namespace stashform::packagist {

namespace json = boost::json;

namespace {

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "packagist.synchronizations";
  s.server_type = "packagist.account";
  s.is_data_source = true;
  s.description = "The organization's synchronizations; each item has id, name, is_primary, integration_name, "
                  "integration_target, integration_url and credentials.";
  s.attributes = {MakeAttribute("bitbucket_url", AttrType::kString, AttrMode::kOptional,
                                "Keep only synchronizations whose integration has this base URL.")};
  return s;
}

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

Value SynchronizationItem(const json::value& item) {
  const json::value* integration = item.as_object().if_contains("integration");
  json::value none = json::object{};
  const json::value& in = integration && integration->is_object() ? *integration : none;
  const json::value* primary = item.as_object().if_contains("isPrimary");
  return Value(Value::Map{{"id", Value(JsonId(item))},
                          {"name", Value(JsonText(item, "name"))},
                          {"is_primary", Value(primary && primary->is_bool() && primary->as_bool())},
                          {"integration_name", Value(JsonText(in, "name"))},
                          {"integration_target", Value(JsonText(in, "target"))},
                          {"integration_url", Value(JsonText(in, "url"))},
                          {"credentials", Value(JsonId(item, "credentials"))}});
}

}  // namespace

const ResourceSchema& SynchronizationsSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

Result<Value> ReadSynchronizations(const PackagistApi& api, const Value::Map& arguments) {
  auto listing = api.ListAll("/synchronizations/");
  if (!listing.ok()) return listing.status();
  const std::string wanted = WithoutTrailingSlash(StringField(arguments, "bitbucket_url"));
  Value::List items;
  for (const auto& item : *listing) {
    if (!item.is_object()) continue;
    Value entry = SynchronizationItem(item);
    if (!wanted.empty() && WithoutTrailingSlash(StringField(entry.as_map(), "integration_url")) != wanted) continue;
    items.push_back(std::move(entry));
  }
  return Value(std::move(items));
}

}  // namespace stashform::packagist
