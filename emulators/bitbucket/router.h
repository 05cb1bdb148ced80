#pragma once
// Bitbucket's routing on top of the common router: the call context its handlers see, and the
// path folding ("/rest/api/1.0" is "/rest/api/latest", "/users/{slug}/repos" a personal project).

#include "emulators/common/http.h"
#include "emulators/common/router.h"

#include <map>
#include <mutex>
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

using Router = BasicRouter<Call>;
using Handler = Router::Handler;

/// Splits a raw path into decoded segments and folds "/rest/api/1.0" into "/rest/api/latest"
/// (same for access-tokens) so routes are written once.
std::vector<std::string> NormalizedSegments(const std::string& raw_path);
/// NormalizedSegments joined again: the path fail-Nth rules and the fault dice compare.
std::string NormalizedPath(const std::string& raw_path);

}  // namespace stashform::emulator
