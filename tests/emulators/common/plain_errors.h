#pragma once
// PlainErrors: the smallest ErrorShape, {"error": message}, for tests of emulators/common.

#include <string>

#include <boost/json.hpp>

#include "emulators/common/errors.h"
#include "emulators/common/http.h"

namespace stashform::emulator::testing {

class PlainErrors : public ErrorShape {
 public:
  Response Error(int status, const std::string& message) const override {
    return JsonResponse(status, boost::json::object{{"error", message}});
  }
};

}  // namespace stashform::emulator::testing
