#pragma once
// The include rule of docs/architecture.md as code: which folder of the project may include
// which. Reads source text only; compiles nothing.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stashform::architecture {

/// One `#include` that points the wrong way.
struct IncludeViolation {
  std::string file;      // project-relative, e.g. "state/codec.cpp"
  int line = 0;
  std::string included;  // as written between the quotes or angle brackets
  std::string why;
};

/// Why a file at `from` (project-relative) may not include `included` (a quoted project path
/// such as "dsl/config.h", or a system header such as "curl/curl.h"); nullopt when it may.
std::optional<std::string> WhyForbidden(std::string_view from, std::string_view included,
                                        bool system_header);

/// Every violation under the product's folders of the tree at `root` (tests and benches may
/// include anything), in file and line order.
std::vector<IncludeViolation> CheckIncludes(const std::filesystem::path& root);

/// `state/codec.cpp:12: includes "reconciler/engine/plan.h": <why>`.
std::string Describe(const IncludeViolation& violation);

}  // namespace stashform::architecture
