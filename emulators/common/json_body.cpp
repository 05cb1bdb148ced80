#include "emulators/common/json_body.h"

namespace stashform::emulator {

std::variant<boost::json::value, Response> ParseJsonBody(const std::string& body, const ErrorShape& shape) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) return shape.MalformedJson(ec.message());
  return value;
}

std::variant<boost::json::object, Response> ParseJsonObjectBody(const std::string& body, const ErrorShape& shape) {
  auto parsed = ParseJsonBody(body, shape);
  if (auto* error = std::get_if<Response>(&parsed)) return *error;
  auto& value = std::get<boost::json::value>(parsed);
  if (!value.is_object()) return shape.Error(400, "The request body must be a JSON object.");
  return std::move(value.as_object());
}

}  // namespace stashform::emulator
