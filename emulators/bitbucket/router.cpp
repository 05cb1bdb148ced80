#include "emulators/bitbucket/router.h"

namespace stashform::emulator {

std::vector<std::string> NormalizedSegments(const std::string& raw_path) {
  std::vector<std::string> segments = DecodedSegments(raw_path);
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

std::string NormalizedPath(const std::string& raw_path) { return JoinSegments(NormalizedSegments(raw_path)); }

}  // namespace stashform::emulator
