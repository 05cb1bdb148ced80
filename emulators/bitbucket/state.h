#pragma once
// Everything a handler may read or change, behind the App's single lock.

#include "emulators/bitbucket/model.h"
#include "emulators/bitbucket/router.h"
#include "emulators/common/faults.h"
#include "emulators/common/request_log.h"

#include <boost/json.hpp>

#include <cstdint>
#include <string>

namespace stashform::emulator {

/// Settings are the switches for behaviour the evidence leaves UNCONFIRMED, plus limits.
struct Settings {
  std::string context_path;            // "" or "/bitbucket"
  int webhook_create_status = 201;     // spec says 200; 201 is the better guess (bitbucket-api.md §2.1)
  bool redact_webhook_secret = false;  // real servers return the secret (§2.2)
  std::size_t page_limit_cap = 1000;   // the server-side hard cap on ?limit=
  std::string version = "9.4.2";
  std::size_t request_log_capacity = 10000;
  int delivery_timeout_ms = 5000;
};

boost::json::object SettingsToJson(const Settings& settings);
/// Applies the fields present; throws std::runtime_error on a bad value.
void ApplySettingsJson(Settings& settings, const boost::json::object& json);

/// One webhook delivery attempt, kept for /_emulator/deliveries and ?statistics=true.
struct DeliveryRecord {
  std::uint64_t sequence = 0;  // assigned by the log
  std::string request_id;
  int webhook_id = 0;  // 0 for /webhooks/test with a bare url
  std::string event_key;
  std::string url;
  int status_code = 0;  // 0 when no HTTP answer came
  std::string outcome;  // SUCCESS | FAILURE | ERROR
  std::string error;
  std::int64_t start = 0;
  std::int64_t duration_ms = 0;
  std::string body;
  boost::json::object request_headers;
};

struct State {
  boost::json::value seed;
  Model model;
  Settings settings;
  Faults faults{FaultConfig{}, NormalizedPath};  // fail-Nth paths: /rest/api/1.0 and /latest alike
  BoundedLog<LoggedRequest> request_log;            // LoggedRequest.caller is the user's name
  BoundedLog<DeliveryRecord> deliveries;
  std::string base_url;  // http://127.0.0.1:PORT[/context], for links

  void Log(LoggedRequest entry);
  void Record(DeliveryRecord delivery);
};

}  // namespace stashform::emulator
