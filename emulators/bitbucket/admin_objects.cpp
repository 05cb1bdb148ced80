// Admin out-of-band changes to tokens, application links and OAuth 2.0 clients: revoke, expire,
// delete, as a human in the UI would behind stashform's back.
#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"
#include "emulators/bitbucket/tokens.h"

#include <algorithm>

namespace stashform::emulator {

namespace {

template <typename T, typename Key>
bool EraseWhere(std::vector<T>& items, Key key) {
  auto end = std::remove_if(items.begin(), items.end(), key);
  bool erased = end != items.end();
  items.erase(end, items.end());
  return erased;
}

Response RevokeToken(Call& call) {
  const std::string& id = call.Param("tokenId");
  if (!EraseWhere(call.state.model.tokens, [&](const AccessToken& t) { return t.id == id; }))
    return ErrorResponse(404, "No access token with id " + id + " exists.");
  return EmptyResponse(204);
}

/// PATCH {"name"?, "permissions"?, "expiryDays"?, "createdDate"?}: e.g. backdate to expire a token.
Response EditToken(Call& call) {
  AccessToken* token = call.state.model.FindToken(call.Param("tokenId"));
  if (!token) return ErrorResponse(404, "No access token with id " + call.Param("tokenId") + " exists.");
  boost::system::error_code ec;
  auto body = boost::json::parse(call.request.body, ec);
  if (ec || !body.is_object()) return MalformedJson(ec ? ec.message() : "expected an object");
  const auto& object = body.as_object();
  AccessToken edited = *token;
  if (auto* name = object.if_contains("name")) edited.name = std::string(name->as_string());
  if (auto* permissions = object.if_contains("permissions")) {
    edited.permissions.clear();
    if (auto error = ValidateTokenPermissions(permissions, edited.scope_type, edited.permissions)) return *error;
  }
  if (auto* days = object.if_contains("expiryDays")) {
    if (days->is_null()) edited.expiry_days.reset();
    else edited.expiry_days = static_cast<int>(days->to_number<std::int64_t>());
  }
  if (auto* created = object.if_contains("createdDate")) edited.created_date = created->to_number<std::int64_t>();
  *token = edited;
  return JsonResponse(200, TokenJson(*token, call.state.model, call.state.base_url, true));
}

Response DeleteLink(Call& call) {
  const std::string& id = call.Param("linkId");
  if (!EraseWhere(call.state.model.application_links, [&](const ApplicationLink& l) { return l.id == id; }))
    return ErrorResponse(404, "No application link with id " + id + " exists.");
  return EmptyResponse(204);
}

Response DeleteClient(Call& call) {
  const std::string& id = call.Param("clientId");
  if (!EraseWhere(call.state.model.oauth2_clients, [&](const OAuth2Client& c) { return c.client_id == id; }))
    return ErrorResponse(404, "No OAuth 2.0 client with id " + id + " exists.");
  return EmptyResponse(204);
}

}  // namespace

void RegisterAdminObjectRoutes(Router& router) {
  router.Add("DELETE", "/_emulator/tokens/{tokenId}", RevokeToken);
  router.Add("PATCH", "/_emulator/tokens/{tokenId}", EditToken);
  router.Add("DELETE", "/_emulator/applinks/{linkId}", DeleteLink);
  router.Add("DELETE", "/_emulator/oauth2-clients/{clientId}", DeleteClient);
}

}  // namespace stashform::emulator
