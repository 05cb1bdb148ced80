#include "tests/architecture/include_rules.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <regex>

namespace stashform::architecture {
namespace {

// The folders that make up the product; tests/ and bench/ may include anything.
constexpr std::array<std::string_view, 6> kProductFolders = {"base", "dsl", "state", "modules",
                                                             "reconciler", "emulators"};

// A platform folder under modules/: anything there but the shared parts.
constexpr std::array<std::string_view, 2> kSharedModuleFolders = {"provider", "http"};

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string_view FirstSegment(std::string_view path) { return path.substr(0, path.find('/')); }

// "modules/bitbucket/webhook.cpp" -> "bitbucket"; "modules/server_timeout.h" -> "".
std::string_view ModuleFolder(std::string_view path) {
  std::string_view rest = path.substr(std::string_view("modules/").size());
  const size_t slash = rest.find('/');
  return slash == std::string_view::npos ? std::string_view() : rest.substr(0, slash);
}

bool IsPlatform(std::string_view module_folder) {
  return !module_folder.empty() &&
         std::find(kSharedModuleFolders.begin(), kSharedModuleFolders.end(), module_folder) ==
             kSharedModuleFolders.end();
}

std::optional<std::string> Refuse(std::string why) { return why; }

std::optional<std::string> ForbiddenFromModules(std::string_view from, std::string_view to) {
  const std::string_view from_folder = ModuleFolder(from);
  if (!StartsWith(to, "modules/")) {
    return Refuse("modules/ includes only base/ and modules/ (never the engine, dsl or state)");
  }
  const std::string_view to_folder = ModuleFolder(to);
  if (from_folder == "provider" && to_folder != "provider") {
    return Refuse("modules/provider/ is the interface; it includes only base/ and itself");
  }
  if (from_folder == "http" && to_folder != "http") {
    return Refuse("modules/http/ includes only base/ and itself");
  }
  if (IsPlatform(to_folder) && to_folder != from_folder) {
    return Refuse("a platform includes no other platform; shared parts go in modules/provider/");
  }
  return std::nullopt;
}

std::optional<std::string> ForbiddenFromReconciler(std::string_view from, std::string_view to) {
  if (StartsWith(to, "emulators/")) return Refuse("the client side includes no emulator");
  if (StartsWith(from, "reconciler/cli/")) return std::nullopt;  // the CLI wires platforms in
  if (StartsWith(to, "reconciler/cli/")) return Refuse("the engine includes no CLI code");
  if (StartsWith(to, "modules/") && !StartsWith(to, "modules/provider/")) {
    return Refuse("the engine includes no platform; it reaches them through modules/provider/");
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> WhyForbidden(std::string_view from, std::string_view included,
                                        bool system_header) {
  if (system_header) {
    if (StartsWith(included, "curl/") && !StartsWith(from, "modules/http/")) {
      return Refuse("only modules/http/ talks libcurl");
    }
    return std::nullopt;
  }
  const std::string_view from_top = FirstSegment(from);
  const std::string_view to_top = FirstSegment(included);
  if (to_top == "tests" || to_top == "bench") return Refuse("the product includes no test code");
  if (to_top == "base") return std::nullopt;
  if (from_top == "modules") return ForbiddenFromModules(from, included);
  if (from_top == "reconciler") return ForbiddenFromReconciler(from, included);
  if (to_top == from_top) return std::nullopt;
  if (from_top == "base") return Refuse("base/ includes nothing else of the project");
  if (from_top == "dsl" || from_top == "state") {
    return Refuse(std::string(from_top) + "/ includes only base/ and itself");
  }
  if (from_top == "emulators") {
    return Refuse("emulators include nothing of the client side (only base/ and emulators/)");
  }
  return std::nullopt;
}

std::vector<IncludeViolation> CheckIncludes(const std::filesystem::path& root) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  std::vector<IncludeViolation> violations;
  for (std::string_view folder : kProductFolders) {
    const std::filesystem::path dir = root / folder;
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      const std::string extension = entry.path().extension().string();
      if (!entry.is_regular_file() || (extension != ".h" && extension != ".cpp")) continue;
      const std::string from = std::filesystem::relative(entry.path(), root).generic_string();
      std::ifstream in(entry.path());
      std::string text;
      for (int line = 1; std::getline(in, text); ++line) {
        std::smatch match;
        if (!std::regex_search(text, match, kInclude)) continue;
        const std::string included = match[2];
        if (auto why = WhyForbidden(from, included, match[1] == "<")) {
          violations.push_back({from, line, included, *why});
        }
      }
    }
  }
  std::sort(violations.begin(), violations.end(), [](const auto& a, const auto& b) {
    return std::tie(a.file, a.line) < std::tie(b.file, b.line);
  });
  return violations;
}

std::string Describe(const IncludeViolation& violation) {
  return violation.file + ":" + std::to_string(violation.line) + ": includes \"" +
         violation.included + "\": " + violation.why;
}

}  // namespace stashform::architecture
