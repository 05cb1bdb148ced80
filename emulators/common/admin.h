#pragma once
// The admin endpoints every emulator shares under /_emulator/: the fault configuration
// (GET/PUT/DELETE /_emulator/faults) and the request log (GET ?since=N / DELETE
// /_emulator/requests). No auth, no faults, not logged: the emulator's App routes them before any
// of that. Reset, dump and settings stay with each emulator (their shapes differ).

#include "emulators/common/errors.h"
#include "emulators/common/faults.h"
#include "emulators/common/http.h"
#include "emulators/common/request_log.h"
#include "emulators/common/router.h"

#include <boost/json.hpp>

#include <cstdint>
#include <string>

namespace stashform::emulator {

/// 200 with the fault JSON (failNth rules with their seen/fired counters).
Response FaultsAnswer(const Faults& faults);
/// Replaces the configuration from a PUT body; 400 (in the emulator's envelope) when the body
/// is not JSON or not a fault configuration, and then nothing changes.
Response ReplaceFaults(Faults& faults, const std::string& body, const ErrorShape& shape);
/// Every fault off: 204.
Response ClearFaults(Faults& faults);

/// {sequence, method, path, status, time}: the fields every request-log entry starts with.
boost::json::object LoggedRequestJson(const LoggedRequest& entry);
/// ?since=N as a number, 0 when absent; throws std::invalid_argument when it is not one.
std::uint64_t SinceParameter(const Request& request);

/// Registers GET/PUT/DELETE /_emulator/faults; faults_of(context) gives the emulator's Faults.
template <typename Context, typename FaultsOf>
void AddFaultRoutes(BasicRouter<Context>& router, FaultsOf faults_of, const ErrorShape& shape) {
  router.Add("GET", "/_emulator/faults", [faults_of](Context& call) { return FaultsAnswer(faults_of(call)); });
  router.Add("PUT", "/_emulator/faults", [faults_of, &shape](Context& call) {
    return ReplaceFaults(faults_of(call), call.request.body, shape);
  });
  router.Add("DELETE", "/_emulator/faults", [faults_of](Context& call) { return ClearFaults(faults_of(call)); });
}

/// Registers GET /_emulator/requests[?since=N] ({"requests":[…]}, entry_json per entry) and
/// DELETE /_emulator/requests (204); log_of(context) gives the emulator's BoundedLog.
template <typename Context, typename LogOf, typename EntryJson>
void AddRequestLogRoutes(BasicRouter<Context>& router, LogOf log_of, EntryJson entry_json) {
  router.Add("GET", "/_emulator/requests", [log_of, entry_json](Context& call) {
    boost::json::array requests;
    for (const auto& entry : log_of(call).Since(SinceParameter(call.request))) requests.push_back(entry_json(entry));
    return JsonResponse(200, boost::json::object{{"requests", requests}});
  });
  router.Add("DELETE", "/_emulator/requests", [log_of](Context& call) {
    log_of(call).Clear();
    return EmptyResponse(204);
  });
}

}  // namespace stashform::emulator
