#pragma once
// A small path router every emulator shares: "/projects/{projectKey}" patterns matched against
// decoded path segments; literal segments win over parameters; a path known under another method
// is told apart from an unknown path, so each emulator can answer 405 and 404 in its own envelope.

#include "emulators/common/http.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stashform::emulator {

/// Splits a path at '/' into its non-empty segments, still percent-encoded.
std::vector<std::string> SplitPath(const std::string& path);
/// SplitPath, then percent-decodes each segment.
std::vector<std::string> DecodedSegments(const std::string& raw_path);
/// "/a/b" from {"a","b"}; "/" for none.
std::string JoinSegments(const std::vector<std::string>& segments);

/// PathPattern is one route's path: literal segments and {name} parameters; a last {name*} takes
/// the rest of the path (one or more segments, joined by '/').
class PathPattern {
 public:
  explicit PathPattern(const std::string& pattern);
  /// Number of literal segments matched (higher is more specific), or -1 when it does not fit;
  /// params, when given, receives the parameters' values.
  int Match(const std::vector<std::string>& segments, std::map<std::string, std::string>* params) const;

 private:
  std::vector<std::string> segments_;
};

/// BasicRouter maps method + path pattern to a handler taking the emulator's own call context.
template <typename Context>
class BasicRouter {
 public:
  using Handler = std::function<Response(Context&)>;

  void Add(const std::string& method, const std::string& pattern, Handler handler) {
    routes_.push_back(Route{method, PathPattern(pattern), std::move(handler)});
  }

  struct Match {
    const Handler* handler = nullptr;  // null when only the method was wrong: answer 405
    std::map<std::string, std::string> params;
  };
  /// nullopt: no route has this path (answer 404). A Match with a null handler: 405.
  std::optional<Match> Find(const std::string& method, const std::vector<std::string>& segments) const {
    const Route* best = nullptr;
    int best_score = -1;
    bool path_known = false;
    for (const auto& route : routes_) {
      int score = route.pattern.Match(segments, nullptr);
      if (score < 0) continue;
      path_known = true;
      if (route.method == method && score > best_score) {
        best = &route;
        best_score = score;
      }
    }
    if (!path_known) return std::nullopt;
    Match match;
    if (best) {
      best->pattern.Match(segments, &match.params);
      match.handler = &best->handler;
    }
    return match;
  }

 private:
  struct Route {
    std::string method;
    PathPattern pattern;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace stashform::emulator
