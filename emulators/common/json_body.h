#pragma once
// Reading a request body as JSON: the value, or a 400 in the emulator's envelope saying why.

#include "emulators/common/errors.h"
#include "emulators/common/http.h"

#include <boost/json.hpp>

#include <string>
#include <variant>

namespace stashform::emulator {

/// The parsed body, or shape.MalformedJson(the parser's reason) — a 400 for the caller to answer.
std::variant<boost::json::value, Response> ParseJsonBody(const std::string& body, const ErrorShape& shape);

/// As ParseJsonBody, and the value must be an object (400 "The request body must be a JSON object.").
std::variant<boost::json::object, Response> ParseJsonObjectBody(const std::string& body, const ErrorShape& shape);

}  // namespace stashform::emulator
