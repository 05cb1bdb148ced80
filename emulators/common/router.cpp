#include "emulators/common/router.h"

namespace stashform::emulator {

namespace {
bool IsParameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}
// "{path*}": the rest of the path, one or more segments joined by '/' (a file path in a repository).
bool IsTail(const std::string& segment) { return IsParameter(segment) && segment[segment.size() - 2] == '*'; }
}  // namespace

std::vector<std::string> SplitPath(const std::string& path) {
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

std::vector<std::string> DecodedSegments(const std::string& raw_path) {
  std::vector<std::string> segments = SplitPath(raw_path);
  for (auto& segment : segments) segment = PercentDecode(segment);
  return segments;
}

std::string JoinSegments(const std::vector<std::string>& segments) {
  std::string joined;
  for (const auto& segment : segments) joined += "/" + segment;
  return joined.empty() ? "/" : joined;
}

PathPattern::PathPattern(const std::string& pattern) : segments_(SplitPath(pattern)) {}

int PathPattern::Match(const std::vector<std::string>& segments, std::map<std::string, std::string>* params) const {
  const bool tail = !segments_.empty() && IsTail(segments_.back());
  if (tail ? segments.size() < segments_.size() : segments_.size() != segments.size()) return -1;
  int literals = 0;
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    if (tail && i + 1 == segments_.size()) {
      std::string rest;
      for (std::size_t j = i; j < segments.size(); ++j) rest += (j > i ? "/" : "") + segments[j];
      if (params) (*params)[segments_[i].substr(1, segments_[i].size() - 3)] = rest;
    } else if (IsParameter(segments_[i])) {
      if (params) (*params)[segments_[i].substr(1, segments_[i].size() - 2)] = segments[i];
    } else if (segments_[i] == segments[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  return literals;
}

}  // namespace stashform::emulator
