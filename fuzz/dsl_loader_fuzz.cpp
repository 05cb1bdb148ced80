// Fuzz target: the DSL loader. The fuzz input is a config's main.lua, evaluated in the Lua sandbox
// with every schema the CLI registers and the recipes shipped with stashform, as `validate` does
// (no credentials, no data source reads); the result is a Config or diagnostics, never a crash.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dsl/evaluator.h"
#include "modules/provider/provider.h"
#include "reconciler/cli/session.h"

using namespace stashform;

namespace {

const std::string kMain = "/fuzz-config/main.lua";

std::vector<std::string> RecipeFolders() {
  std::vector<std::string> folders;
  for (const auto& entry : std::filesystem::directory_iterator(STASHFORM_MODULES_DIR))
    if (entry.is_directory()) folders.push_back(entry.path().string());
  return folders;
}

// A shipped recipe's text, read from disk once per process: an `import` in the input needs it
// again on every execution, and the files do not change during a run.
std::optional<std::string> ShippedFile(const std::string& path) {
  static std::map<std::string, std::optional<std::string>> read;
  auto [at, inserted] = read.try_emplace(path);
  if (inserted) at->second = dsl::ReadConfigFile({}, path);
  return at->second;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static provider::Registry registry = [] {
    provider::Registry r;
    cli::RegisterProviders(r, [](const http::ClientOptions&) -> std::unique_ptr<http::HttpClient> { return nullptr; });
    return r;
  }();
  static const std::vector<std::string> recipes = RecipeFolders();
  std::string text(reinterpret_cast<const char*>(data), size);

  dsl::EvalOptions options;
  options.getenv = [](const std::string&) { return std::optional<std::string>(); };
  options.unset_env_unknown = true;
  // Small limits: a config that loops or allocates forever must be stopped by the sandbox.
  options.memory_limit_bytes = 64u << 20;
  options.instruction_limit = 2'000'000;
  options.time_limit = std::chrono::milliseconds(2000);
  options.module_paths = recipes;
  options.read_file = [&text](const std::string& path) -> std::optional<std::string> {
    if (path == kMain) return text;
    if (path.starts_with("/fuzz-config/")) return std::nullopt;
    return ShippedFile(path);
  };
  (void)dsl::EvaluateFolder("/fuzz-config", registry.AllSchemas(), options);
  return 0;
}
