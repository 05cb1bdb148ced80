// Application links (applinks 3.0) and the incoming OAuth 1.0a consumer (applinks-oauth 1.0),
// bitbucket-api.md §4.1. System admins only; tokens are refused as for every "on behalf of a user"
// operation. The 201 bodies and the consumer GET are UNCONFIRMED shapes (docs/emulator.md).
#include "emulators/bitbucket/auth.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/common/json_body.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"

#include <algorithm>

namespace stashform::emulator {

namespace {

const std::vector<std::string> kTypeIds = {"generic", "jira", "confluence", "bamboo", "fecru", "crowd", "refapp", "stash"};

std::optional<Response> RequireSysAdmin(const Call& call) {
  if (!call.principal) return NotAuthenticated();
  if (!IsSysAdmin(call.principal)) return NotPermitted();
  return std::nullopt;
}

std::variant<boost::json::object, Response> ParseObject(const Call& call) {
  return ParseJsonObjectBody(call.request.body, Errors());
}

std::string StringOr(const boost::json::object& object, const char* name, const std::string& fallback = "") {
  const auto* value = object.if_contains(name);
  return value && value->is_string() ? std::string(value->as_string()) : fallback;
}

std::variant<ApplicationLink*, Response> FindLink(Call& call) {
  for (auto& link : call.state.model.application_links)
    if (link.id == call.Param("linkId")) return &link;
  return ErrorResponse(404, "No application link with id " + call.Param("linkId") + " exists.", std::nullopt,
                       "com.atlassian.applinks.api.TypeNotInstalledException");
}

std::string LinkHref(const Call& call, const std::string& id) {
  return call.state.base_url + "/rest/applinks/3.0/applicationlink/" + id;
}

Response CreatedStatus(const std::string& href) {
  return JsonResponse(201, boost::json::object{{"status-code", 201},
                                               {"resources-created", boost::json::array{{{"href", href}}}}});
}

/// The modern list shape {id, name, type, displayUrl, rpcUrl, primary, system, properties, data}.
boost::json::object ModernJson(const ApplicationLink& link) {
  return {{"id", link.id},           {"name", link.name},       {"type", link.type_id},
          {"displayUrl", link.display_url}, {"rpcUrl", link.rpc_url}, {"primary", link.primary},
          {"system", link.system},   {"properties", boost::json::object{}}, {"data", boost::json::object{}}};
}

/// The legacy applicationlink resource shape.
boost::json::object LegacyJson(const ApplicationLink& link) {
  return {{"id", link.id},         {"typeId", link.type_id},     {"name", link.name},
          {"displayUrl", link.display_url}, {"rpcUrl", link.rpc_url}, {"isPrimary", link.primary},
          {"isSystem", link.system}};
}

Response ListLinks(Call& call) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  boost::json::array links;
  for (const auto& link : call.state.model.application_links) links.push_back(ModernJson(link));
  return JsonResponse(200, links);
}

Response CreateLink(Call& call) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  auto parsed = ParseObject(call);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  const auto& body = std::get<boost::json::object>(parsed);
  ApplicationLink link;
  link.name = StringOr(body, "name");
  link.rpc_url = StringOr(body, "rpcUrl");
  link.display_url = StringOr(body, "displayUrl", link.rpc_url);
  link.type_id = StringOr(body, "typeId", "generic");
  if (link.name.empty()) return ValidationError("name", "An application link needs a name.");
  if (link.rpc_url.rfind("http://", 0) != 0 && link.rpc_url.rfind("https://", 0) != 0)
    return ValidationError("rpcUrl", "An application link needs an http or https rpcUrl.");
  if (std::find(kTypeIds.begin(), kTypeIds.end(), link.type_id) == kTypeIds.end())
    return ValidationError("typeId", "Unknown application type: " + link.type_id);
  auto& links = call.state.model.application_links;
  for (const auto& existing : links)
    if (existing.name == link.name)
      return ErrorResponse(409, "An application link named " + link.name + " already exists.", "name");
  link.id = RandomUuid();
  link.primary = std::none_of(links.begin(), links.end(), [&](const ApplicationLink& l) { return l.type_id == link.type_id; });
  links.push_back(link);
  return CreatedStatus(LinkHref(call, link.id));
}

Response GetLink(Call& call, bool modern) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  auto found = FindLink(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  const ApplicationLink& link = *std::get<ApplicationLink*>(found);
  return JsonResponse(200, modern ? ModernJson(link) : LegacyJson(link));
}

Response DeleteLink(Call& call, int status) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  auto found = FindLink(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  std::string id = std::get<ApplicationLink*>(found)->id;
  auto& links = call.state.model.application_links;
  links.erase(std::remove_if(links.begin(), links.end(), [&](const ApplicationLink& l) { return l.id == id; }), links.end());
  return status == 204 ? EmptyResponse(204) : JsonResponse(200, boost::json::object{{"status-code", 200}});
}

Response LinkStatus(Call& call) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  auto found = FindLink(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  return JsonResponse(200, boost::json::object{{"working", true}, {"link", ModernJson(*std::get<ApplicationLink*>(found))}});
}

Response PutConsumer(Call& call) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  auto found = FindLink(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  auto parsed = ParseObject(call);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  auto& body = std::get<boost::json::object>(parsed);
  if (StringOr(body, "key").empty()) return ValidationError("key", "A consumer key is required.");
  if (StringOr(body, "publicKey").empty() && StringOr(body, "sharedSecret").empty())
    return ValidationError("publicKey", "A public key or a shared secret is required.");
  if (StringOr(body, "name").empty()) body["name"] = StringOr(body, "key");
  ApplicationLink& link = *std::get<ApplicationLink*>(found);
  link.incoming_consumer = body;
  return CreatedStatus(LinkHref(call, link.id) + "/authentication/consumer");
}

Response GetConsumer(Call& call) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  auto found = FindLink(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  const ApplicationLink& link = *std::get<ApplicationLink*>(found);
  if (!link.incoming_consumer) return ErrorResponse(404, "No consumer is configured for this application link.");
  boost::json::object consumer = *link.incoming_consumer;
  consumer.erase("sharedSecret");  // secrets are not read back
  return JsonResponse(200, consumer);
}

Response DeleteConsumer(Call& call) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  auto found = FindLink(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  ApplicationLink& link = *std::get<ApplicationLink*>(found);
  if (!link.incoming_consumer) return ErrorResponse(404, "No consumer is configured for this application link.");
  link.incoming_consumer.reset();
  return EmptyResponse(204);
}

Response PutProvider(Call& call) {
  if (auto refused = RequireSysAdmin(call)) return *refused;
  auto found = FindLink(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  auto parsed = ParseObject(call);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  ApplicationLink& link = *std::get<ApplicationLink*>(found);
  link.outgoing_provider = std::get<boost::json::object>(parsed);
  return CreatedStatus(LinkHref(call, link.id) + "/authentication/provider");
}

}  // namespace

void RegisterApplinkRoutes(Router& router) {
  const std::string v3 = "/rest/applinks/3.0";
  router.Add("GET", v3 + "/applinks", ListLinks);
  router.Add("GET", v3 + "/applinks/{linkId}", [](Call& call) { return GetLink(call, true); });
  router.Add("DELETE", v3 + "/applinks/{linkId}", [](Call& call) { return DeleteLink(call, 204); });
  router.Add("GET", v3 + "/status/{linkId}", LinkStatus);
  router.Add("PUT", v3 + "/applicationlink", CreateLink);
  router.Add("GET", v3 + "/applicationlink/{linkId}", [](Call& call) { return GetLink(call, false); });
  router.Add("DELETE", v3 + "/applicationlink/{linkId}", [](Call& call) { return DeleteLink(call, 200); });
  router.Add("PUT", v3 + "/applicationlink/{linkId}/authentication/provider", PutProvider);
  const std::string oauth = "/rest/applinks-oauth/1.0/applicationlink/{linkId}/authentication/consumer";
  router.Add("PUT", oauth, PutConsumer);
  router.Add("GET", oauth, GetConsumer);
  router.Add("DELETE", oauth, DeleteConsumer);
}

}  // namespace stashform::emulator
