#pragma once
// App turns one Request into one Outcome: context path, admin vs API routing, authentication,
// faults, the handler, X-AUSERNAME, and the request log. It is the only place that takes the lock.

#include "emulators/common/http.h"
#include "emulators/bitbucket/router.h"
#include "emulators/bitbucket/state.h"

#include <boost/json.hpp>

#include <mutex>
#include <string>

namespace stashform::emulator {

class App {
 public:
  /// Throws std::runtime_error when the seed is malformed.
  App(boost::json::value seed, Settings settings, FaultConfig faults);
  Outcome Handle(const Request& request);
  void SetBaseUrl(const std::string& base_url);

 private:
  Outcome HandleAdmin(const Request& request, const std::vector<std::string>& segments);
  /// path: as received, the context path stripped; segments: NormalizedSegments(path).
  Outcome HandleApi(const Request& request, const std::string& path, std::vector<std::string> segments);

  std::mutex mutex_;
  State state_;
  Router api_;
  Router admin_;
};

}  // namespace stashform::emulator
