#pragma once
// Evaluating a config folder's Lua files into a Config.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dsl/config.h"
#include "dsl/sandbox.h"
#include "base/diagnostics.h"
#include "base/schema.h"
#include "base/status.h"

namespace stashform::dsl {

/// One data source read (`bitbucket.repositories { server = bb, project = "INFRA" }`).
struct DataRequest {
  std::string type;      // "bitbucket.repositories"
  std::string server;    // the bound server block's name, "" when the type has no server_type
  Value::Map arguments;  // checked against the data source's schema
  SourcePos pos;
  /// The bound server block as configured (type, name, url, token, ...), so that the reader can
  /// connect before the rest of the config exists; empty without a server_type.
  ServerBlock server_block;
};

/// What the caller (the CLI) lets an evaluation see and spend.
struct EvalOptions {
  /// Reads an environment variable for `env "VAR"`; empty means the process environment.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  /// `validate`: an unset `env "VAR"` is an unknown value instead of an error, so that a config
  /// can be checked without its credentials.
  bool unset_env_unknown = false;
  size_t memory_limit_bytes = 512u << 20;
  uint64_t instruction_limit = 2'000'000'000;
  /// Wall-clock time the config's Lua may run, teardown included and data source reads not
  /// (`-lua-time-limit`, `STASHFORM_LUA_TIME_LIMIT`).
  std::chrono::milliseconds time_limit = kDefaultWallClockLimit;

  /// `-var name=value`, in command-line order (a later one wins). Parsed by the variable's type:
  /// numbers, true/false, JSON for lists and maps.
  std::vector<std::pair<std::string, std::string>> vars;
  /// `-var-file F`, in order: `.json` files hold one JSON object; other files are Lua assignments
  /// (`name = value`), evaluated in their own sandbox. `-var` beats files, files beat
  /// `STASHFORM_VAR_name`, which beats the default.
  std::vector<std::string> var_files;
  /// `-env-allow PATTERN`: names `env "VAR"` may read (`*` matches any run of characters).
  /// Empty allows every variable.
  std::vector<std::string> env_allow;
  /// Folders searched, after the config folder, by `import "name"` for `name.lua` (the CLI passes
  /// the folders of the modules shipped with stashform).
  std::vector<std::string> module_paths;
  /// Data source types, declared like resources but called without a name; their schemas check
  /// the arguments. The engine provides them and `read_data`.
  std::vector<const ResourceSchema*> data_source_schemas;
  /// Answers a data source during evaluation (the result becomes Lua data: lists of maps become
  /// arrays of tables). Empty, as in `validate`, makes every result unknown: loops over it run
  /// no iteration.
  std::function<Result<Value>(const DataRequest&)> read_data;
  /// Reads a file (main.lua, modules, -var-file); empty means the file system. A seam for tests.
  std::function<std::optional<std::string>(const std::string& path)> read_file;
};

/// Reads `path` through `options.read_file`, or from the file system.
std::optional<std::string> ReadConfigFile(const EvalOptions& options, const std::string& path);

/// The Config is complete only when `diagnostics` has no errors.
struct EvalResult {
  Config config;
  Diagnostics diagnostics;
};

/// Evaluates `folder/main.lua` in a fresh sandbox. The resource types the config may declare are
/// exactly `schemas` (types `ns.name` become callables `ns.name "label" { body }`).
EvalResult EvaluateFolder(const std::string& folder, const std::vector<const ResourceSchema*>& schemas,
                          const EvalOptions& options = {});

/// Evaluates one chunk of text named `chunk_name` (as it appears in diagnostics); for tests.
EvalResult EvaluateChunk(const std::string& chunk_name, const std::string& text,
                         const std::vector<const ResourceSchema*>& schemas, const EvalOptions& options = {});

}  // namespace stashform::dsl
