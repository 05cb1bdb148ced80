#include "emulators/bitbucket/router.h"

namespace stashform::emulator {

namespace {
std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t pos = 0;
  while (pos < path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    if (end > pos) segments.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return segments;
}

bool IsParameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Number of literal segments matched, or -1 when the pattern does not fit.
int MatchScore(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
               std::map<std::string, std::string>* params) {
  if (pattern.size() != segments.size()) return -1;
  int literals = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (IsParameter(pattern[i])) {
      if (params) (*params)[pattern[i].substr(1, pattern[i].size() - 2)] = segments[i];
    } else if (pattern[i] == segments[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  return literals;
}
}  // namespace

void Router::Add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back(Route{method, Split(pattern), std::move(handler)});
}

std::optional<Router::Match> Router::Find(const std::string& method, const std::vector<std::string>& segments) const {
  const Route* best = nullptr;
  int best_score = -1;
  bool path_known = false;
  for (const auto& route : routes_) {
    int score = MatchScore(route.pattern, segments, nullptr);
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
    MatchScore(best->pattern, segments, &match.params);
    match.handler = &best->handler;
  }
  return match;
}

std::vector<std::string> NormalizedSegments(const std::string& raw_path) {
  std::vector<std::string> segments = Split(raw_path);
  for (auto& segment : segments) segment = PercentDecode(segment);
  if (segments.size() >= 3 && segments[0] == "rest" && (segments[1] == "api" || segments[1] == "access-tokens") &&
      segments[2] == "1.0") {
    segments[2] = "latest";
  }
  // /users/{slug}/repos/... is the personal project ~{slug} under another name.
  if (segments.size() >= 6 && segments[0] == "rest" && segments[1] == "api" && segments[3] == "users" &&
      segments[5] == "repos") {
    segments[3] = "projects";
    segments[4] = "~" + segments[4];
  }
  return segments;
}

}  // namespace stashform::emulator
