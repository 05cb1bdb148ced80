#pragma once
// A small path router: "/rest/api/latest/projects/{projectKey}" patterns, literal segments win
// over parameters, 405 when the path exists under another method.

#include "emulators/bitbucket/http.h"

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace stashform::emulator {

struct State;
struct Principal;

/// Call is what a handler sees: the request, path parameters, the state (lock held) and the caller.
struct Call {
  const Request& request;
  std::map<std::string, std::string> params;
  State& state;
  const Principal* principal = nullptr;
  /// A handler that must wait on the network (webhook delivery) copies what it needs and unlocks.
  std::unique_lock<std::mutex>* lock = nullptr;

  const std::string& Param(const std::string& name) const { return params.at(name); }
};

using Handler = std::function<Response(Call&)>;

class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  // null when only the method was wrong
    std::map<std::string, std::string> params;
  };
  /// nullopt: no route has this path. A Match with a null handler: 405.
  std::optional<Match> Find(const std::string& method, const std::vector<std::string>& segments) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> pattern;
    Handler handler;
  };
  std::vector<Route> routes_;
};

/// Splits a raw path into decoded segments and folds "/rest/api/1.0" into "/rest/api/latest"
/// (same for access-tokens) so routes are written once.
std::vector<std::string> NormalizedSegments(const std::string& raw_path);

}  // namespace stashform::emulator
