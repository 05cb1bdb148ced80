#include "reconciler/cli/session.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <ostream>

#include "base/time.h"
#include "base/who.h"
#include "dsl/evaluator.h"
#include "modules/bitbucket/provider.h"
#include "modules/backstage/provider.h"
#include "modules/packagist/provider.h"
#include "modules/spacelift/provider.h"
#include "modules/gitpod/provider.h"
#include "reconciler/cli/backends.h"
#include "reconciler/cli/module_search.h"
#include "reconciler/cli/command_table.h"
#include "reconciler/engine/graph.h"
#include "state/store_options.h"

namespace stashform::cli {

namespace {

// "still waiting for host:port: GET /path (2 s, try 1 of 6)" from the HTTP clients, on stderr in
// one write; on a terminal it first clears a refresh progress line that may be half drawn. The
// clients call it from their worker threads, hence the lock.
std::function<void(const std::string&)> WaitingLinePrinter(Io& io) {
  auto lock = std::make_shared<std::mutex>();
  return [&err = io.err, terminal = io.err_is_terminal, lock](const std::string& line) {
    const std::string text = (terminal ? "\r\033[K" : "") + line + "\n";
    std::lock_guard<std::mutex> hold(*lock);
    err << text << std::flush;
  };
}

/// An environment variable through the backends; "" when unset.
std::string EnvOf(const Io& io, const char* name) {
  const char* value = io.backends.getenv(name);
  return value ? value : "";
}

std::string Join(const std::string& folder, const std::string& file) {
  if (file.empty() || file[0] == '/' || folder.empty() || folder == ".") return file;
  return folder + "/" + file;
}

/// "10s", "500ms", "2m" or a bare number of seconds; nullopt unless it is a positive duration.
std::optional<std::chrono::milliseconds> ParseTimeLimit(const std::string& text) {
  size_t digits = 0;
  double number = 0;
  try {
    number = std::stod(text, &digits);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  const std::string unit = text.substr(digits);
  const double scale = unit == "ms" ? 1 : unit == "s" || unit.empty() ? 1000 : unit == "m" ? 60'000 : 0;
  const double ms = number * scale;
  if (!(ms >= 1) || ms > 1e9) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

/// The flag, else STASHFORM_LUA_TIME_LIMIT, else the sandbox's default (docs/dsl.md).
bool ResolveLuaTimeLimit(const CommonOptions& options, dsl::EvalOptions& eval, Io& io) {
  const std::string from_env = EnvOf(io, "STASHFORM_LUA_TIME_LIMIT");
  const bool flag = !options.lua_time_limit.empty();
  if (!flag && from_env.empty()) return true;
  const std::string text = flag ? options.lua_time_limit : from_env;
  auto limit = ParseTimeLimit(text);
  if (!limit) {
    io.err << "Error: " << (flag ? "-lua-time-limit" : "STASHFORM_LUA_TIME_LIMIT") << " \"" << text
           << "\": expected a positive duration such as 10s, 500ms or 2m\n";
    return false;
  }
  eval.time_limit = *limit;
  return true;
}

}  // namespace

std::string CommonOptions::ConfigFolder() const {
  std::string folder = chdir.empty() ? "." : chdir;
  if (!dir.empty()) folder = dir[0] == '/' ? dir : Join(folder, dir);
  return folder;
}

std::string CommonOptions::StatePath() const {
  if (!state_path.empty()) return state_path;
  return Join(ConfigFolder(), "stashform.state.json");
}

void AddCommonOptions(CLI::App& app, CommonOptions& options) {
  app.add_option("dir", options.dir, "Configuration folder (default: the current folder)");
  app.add_option("--chdir", options.chdir, "Switch to this folder first");
  app.add_option("--state", options.state_path, "State file (default: DIR/stashform.state.json)");
  app.add_option("--state-url", options.state_url, "State place: postgres://... or a file (else STASHFORM_STATE_URL)");
  app.add_option("--lock", options.lock, "Lock the state file (default true)");
  app.add_option("--lock-timeout", options.lock_timeout, "How long to wait for the state lock, e.g. 30s");
  app.add_option("--refresh", options.refresh, "Ask the servers what exists before planning (default true)");
  app.add_flag("--no-color", options.no_color, "No colours in the output");
  app.add_flag("--explain", options.explain, "Print the reason for every change");
  app.add_option("--parallelism", options.parallelism, "Requests in flight at once per server");
  app.add_option("--input", options.input, "Ask for input when needed (default true)");
  app.add_option("--var", options.vars, "Set a variable: -var name=value (repeatable)")
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--var-file", options.var_files, "Read variables from a .json or Lua file (repeatable)")
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--env-allow", options.env_allow,
                 "Names env \"VAR\" may read, * as wildcard (repeatable; default: all)")
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  AddLuaTimeLimitOption(app, options);
}

void AddLuaTimeLimitOption(CLI::App& app, CommonOptions& options) {
  app.add_option("--lua-time-limit", options.lua_time_limit,
                 "Wall-clock limit on the config's Lua, e.g. 30s (default 10s, or STASHFORM_LUA_TIME_LIMIT)");
}

void PrintDiagnostics(const Diagnostics& diagnostics, Io& io) { io.err << diagnostics.ToString(); }

bool MayAsk(const CommonOptions& options, const Io& io) {
  // TF_INPUT=0 is how pipelines already say it to Terraform; STASHFORM_INPUT is ours.
  for (const char* name : {"TF_INPUT", "STASHFORM_INPUT"}) {
    const std::string value = EnvOf(io, name);
    if (value == "0" || value == "false") return false;
  }
  return options.input;
}

bool UseColor(const CommonOptions& options, const Io& io) {
  return io.out_is_terminal && !options.no_color && EnvOf(io, "NO_COLOR").empty();
}

void RegisterProviders(provider::Registry& registry, const HttpClientFactory& make_client) {
  registry.Add(std::make_unique<bitbucket::BitbucketProvider>(make_client));
  registry.Add(spacelift::MakeSpaceliftProvider(make_client));
  registry.Add(gitpod::MakeGitpodProvider(make_client));
  registry.Add(backstage::MakeBackstageProvider());
  registry.Add(packagist::MakePackagistProvider(make_client));
}

Session::Session() {
  // The schemas are needed before the session knows its Io; clients are made only after Bind.
  RegisterProviders(registry_, [this](const http::ClientOptions& options) { return make_client_(options); });
}

void Session::Bind(Io& io) {
  auto print_waiting = WaitingLinePrinter(io);
  make_client_ = [&backends = io.backends, print_waiting, parallelism = parallelism_](const http::ClientOptions& options) {
    http::ClientOptions wired = options;
    wired.progress = print_waiting;
    // -parallelism: requests in flight at once to one server, as Terraform's operations in flight.
    wired.max_concurrency_per_host = parallelism;
    return backends.make_http_client(wired);
  };
}

Session::~Session() {
  if (locked_) store_->locker().Release();
}

std::vector<std::string> ShippedModuleFolders(const Io& io) {
  // The recipes shipped with stashform (modules/<platform>/*.lua) and the user's own.
  return ModuleFolders(ModuleRoots({EnvOf(io, "STASHFORM_MODULE_PATH"), RunningExecutable(), STASHFORM_MODULES_DIR}));
}

bool Session::Evaluate(const CommonOptions& options, bool offline, Io& io, Diagnostics* out) {
  parallelism_ = options.parallelism;
  Bind(io);
  dsl::EvalOptions eval;
  for (const auto& assignment : options.vars) {
    auto eq = assignment.find('=');
    if (eq == std::string::npos) {
      io.err << "Error: -var \"" << assignment << "\": expected name=value\n";
      return false;
    }
    eval.vars.emplace_back(assignment.substr(0, eq), assignment.substr(eq + 1));
  }
  if (!ResolveLuaTimeLimit(options, eval, io)) return false;
  eval.var_files = options.var_files;
  eval.env_allow = options.env_allow;
  eval.module_paths = ShippedModuleFolders(io);
  eval.getenv = [lookup = LookupIn(io.backends.getenv), read = environment_read_](const std::string& name) {
    read->insert(name);
    return lookup(name);
  };
  eval.unset_env_unknown = offline;
  if (!offline) {
    // Data sources connect to the server block they name, before the rest of the config exists.
    eval.read_data = [this](const dsl::DataRequest& request) -> Result<Value> {
      auto& server = data_servers_[request.server_block.type + " " + request.server];
      if (!server) {
        provider::Provider* provider = registry_.ProviderFor(request.server_block.type);
        if (!provider) return Status::Error("no provider serves " + request.server_block.type);
        if (auto references = engine::ServerReferences(request.server_block); !references.empty())
          return Status::Error(request.server_block.type + " \"" + request.server_block.name + "\" is configured from " +
                               references.front().ToString() +
                               ", and data sources are read while the config is evaluated, before any resource "
                               "is known; read them through a server configured from variables or env");
        auto configured = provider->Configure(request.server_block.name, request.server_block.attributes);
        if (!configured.ok()) return configured.status();
        server = std::move(*configured);
      }
      return server->ReadDataSource(request.type, request.arguments);
    };
  }
  auto evaluated = dsl::EvaluateFolder(options.ConfigFolder(), registry_.AllSchemas(), eval);
  if (out) *out = evaluated.diagnostics;
  else PrintDiagnostics(evaluated.diagnostics, io);
  if (evaluated.diagnostics.HasErrors()) return false;
  config_ = std::move(evaluated.config);
  return true;
}

bool Session::OpenState(const CommonOptions& options, const std::string& operation, Io& io) {
  parallelism_ = options.parallelism;
  Bind(io);
  auto store_options = state::StateStoreOptionsFromEnvironment(io.backends.getenv);
  if (!store_options.ok()) {
    io.err << "Error: " << store_options.message() << "\n";
    return false;
  }
  auto location = ResolveStateLocation(options, io);
  if (!location.ok()) {
    io.err << "Error: " << location.message() << "\n";
    return false;
  }
  location_ = *location;
  store_ = io.backends.open_state_store(location_.where, *store_options);
  if (options.lock) {
    state::LockInfo info{state::NewUuid(), operation, WhoRunsThis(), FormatRfc3339(io.backends.clock->WallNow()),
                         location_.Shown()};
    Status locked = store_->locker().Acquire(info, ParseDuration(options.lock_timeout).value_or(std::chrono::milliseconds(0)));
    if (!locked.ok()) {
      io.err << "Error: " << locked.message() << "\n";
      return false;
    }
    locked_ = true;
  }
  auto loaded = store_->Load();
  if (!loaded.ok()) {
    io.err << "Error: " << loaded.message() << "\n";
    return false;
  }
  state_existed_ = loaded->has_value();
  state_ = loaded->has_value() ? std::move(**loaded) : state::State::New(STASHFORM_VERSION);
  state_.tool_version = STASHFORM_VERSION;
  return true;
}

bool Session::Open(const CommonOptions& options, const std::string& operation, Io& io) {
  // Config: evaluate the Lua files into plain data.
  if (!Evaluate(options, /*offline=*/false, io)) return false;
  // State: lock for the whole command, then load.
  if (!OpenState(options, operation, io)) return false;
  // Servers: one configured provider instance per server block; a block configured from a
  // resource (a token made by another block) takes its values from state.
  servers_ = std::make_unique<engine::Servers>(registry_);
  auto configured = servers_->Configure(config_, engine::RecordedLookup(state_, Value::UnknownValue()));
  if (configured.HasErrors()) {
    PrintDiagnostics(configured, io);
    return false;
  }
  return true;
}

}  // namespace stashform::cli
