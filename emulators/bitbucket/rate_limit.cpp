// Bitbucket's own rate-limit admin REST (bitbucket-api.md §1.5), mapped onto the fault injector's
// token bucket so that a client can switch throttling on the way an administrator would.
#include "emulators/bitbucket/auth.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"

namespace stashform::emulator {

namespace {

boost::json::object SettingsJson(const RateLimitConfig& limit) {
  return {{"enabled", limit.enabled},
          {"defaultSettings",
           {{"capacity", static_cast<std::int64_t>(limit.capacity)}, {"fillRate", static_cast<std::int64_t>(limit.fill_rate)}}}};
}

Response GetSettings(Call& call) {
  if (!call.principal) return NotAuthenticated();
  if (!IsSysAdmin(call.principal)) return NotPermitted();
  return JsonResponse(200, SettingsJson(call.state.faults.config().rate_limit));
}

Response PutSettings(Call& call) {
  if (!call.principal) return NotAuthenticated();
  if (!IsSysAdmin(call.principal)) return NotPermitted();
  boost::system::error_code ec;
  auto body = boost::json::parse(call.request.body, ec);
  if (ec || !body.is_object()) return MalformedJson(ec ? ec.message() : "expected an object");
  FaultConfig config = call.state.faults.config();
  RateLimitConfig& limit = config.rate_limit;
  if (const auto* enabled = body.as_object().if_contains("enabled")) {
    if (!enabled->is_bool()) return ValidationError("enabled", "enabled must be true or false.");
    limit.enabled = enabled->as_bool();
  }
  if (const auto* defaults = body.as_object().if_contains("defaultSettings")) {
    if (!defaults->is_object()) return ValidationError("defaultSettings", "defaultSettings must be an object.");
    for (const char* name : {"capacity", "fillRate"}) {
      const auto* value = defaults->as_object().if_contains(name);
      if (!value) continue;
      if (!value->is_int64() || value->as_int64() < 1) return ValidationError(name, std::string(name) + " must be at least 1.");
      (std::string(name) == "capacity" ? limit.capacity : limit.fill_rate) = static_cast<double>(value->as_int64());
    }
  }
  call.state.faults.Configure(config);
  return JsonResponse(200, SettingsJson(limit));
}

}  // namespace

void RegisterRateLimitRoutes(Router& router) {
  router.Add("GET", "/rest/api/latest/admin/rate-limit/settings", GetSettings);
  router.Add("PUT", "/rest/api/latest/admin/rate-limit/settings", PutSettings);
}

}  // namespace stashform::emulator
