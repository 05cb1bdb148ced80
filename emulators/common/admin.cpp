#include "emulators/common/admin.h"

#include "emulators/common/json_body.h"

#include <stdexcept>

namespace stashform::emulator {

Response FaultsAnswer(const Faults& faults) { return JsonResponse(200, FaultConfigToJson(faults.config())); }

Response ReplaceFaults(Faults& faults, const std::string& body, const ErrorShape& shape) {
  auto parsed = ParseJsonBody(body, shape);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  try {
    faults.Configure(FaultConfigFromJson(std::get<boost::json::value>(parsed)));
  } catch (const std::exception& error) {
    return shape.InvalidFaults(error.what());
  }
  return FaultsAnswer(faults);
}

Response ClearFaults(Faults& faults) {
  faults.Configure(FaultConfig{});
  return EmptyResponse(204);
}

boost::json::object LoggedRequestJson(const LoggedRequest& entry) {
  return {{"sequence", entry.sequence}, {"method", entry.method}, {"path", entry.path},
          {"status", entry.status},     {"time", entry.time}};
}

std::uint64_t SinceParameter(const Request& request) {
  auto text = request.Query("since");
  return text ? std::stoull(*text) : 0;
}

}  // namespace stashform::emulator
