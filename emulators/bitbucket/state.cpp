#include "emulators/bitbucket/state.h"

#include <stdexcept>

namespace stashform::emulator {

boost::json::object SettingsToJson(const Settings& settings) {
  return {{"contextPath", settings.context_path},
          {"webhookCreateStatus", settings.webhook_create_status},
          {"redactWebhookSecret", settings.redact_webhook_secret},
          {"pageLimitCap", settings.page_limit_cap},
          {"version", settings.version},
          {"requestLogCapacity", settings.request_log_capacity},
          {"deliveryTimeoutMs", settings.delivery_timeout_ms}};
}

void ApplySettingsJson(Settings& settings, const boost::json::object& json) {
  if (auto* v = json.if_contains("webhookCreateStatus")) {
    int status = static_cast<int>(v->to_number<std::int64_t>());
    if (status != 200 && status != 201) throw std::runtime_error("webhookCreateStatus must be 200 or 201");
    settings.webhook_create_status = status;
  }
  if (auto* v = json.if_contains("redactWebhookSecret")) settings.redact_webhook_secret = v->as_bool();
  if (auto* v = json.if_contains("pageLimitCap")) {
    auto cap = v->to_number<std::int64_t>();
    if (cap < 1) throw std::runtime_error("pageLimitCap must be at least 1");
    settings.page_limit_cap = static_cast<std::size_t>(cap);
  }
  if (auto* v = json.if_contains("version")) settings.version = std::string(v->as_string());
  if (auto* v = json.if_contains("deliveryTimeoutMs"))
    settings.delivery_timeout_ms = static_cast<int>(v->to_number<std::int64_t>());
}

void State::Log(LoggedRequest entry) { request_log.Append(std::move(entry), settings.request_log_capacity); }

void State::Record(DeliveryRecord delivery) { deliveries.Append(std::move(delivery), settings.request_log_capacity); }

}  // namespace stashform::emulator
