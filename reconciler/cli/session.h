#pragma once
// Session is everything one plan or apply works on: the evaluated config, the configured servers,
// the locked state store and the loaded state. It unlocks the state when it ends. It reaches the
// network, the state store, the clock and the environment only through the Io's backends.

#include <CLI/CLI.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "dsl/config.h"
#include "reconciler/cli/backends.h"
#include "reconciler/cli/command_table.h"
#include "reconciler/cli/commands.h"
#include "reconciler/cli/state_location.h"
#include "reconciler/engine/servers.h"
#include "modules/provider/provider.h"
#include "state/store.h"

namespace stashform::cli {

/// Options that plan and apply share.
struct CommonOptions {
  std::string chdir;
  std::string dir;          // positional config folder
  std::string state_path;   // -state; default: stashform.state.json in the config folder
  std::string state_url;    // -state-url: a postgres:// URL or a file, in the current workspace
  bool lock = true;
  std::string lock_timeout = "0s";
  bool refresh = true;
  bool no_color = false;
  bool explain = false;
  std::vector<std::string> vars;       // -var name=value (repeatable)
  std::vector<std::string> var_files;  // -var-file FILE (repeatable)
  std::vector<std::string> env_allow;  // -env-allow PATTERN (repeatable)
  std::string lua_time_limit;          // -lua-time-limit 10s; else STASHFORM_LUA_TIME_LIMIT
  int parallelism = 16;                // -parallelism: requests (and apply's operations) in flight at once
  bool input = true;                   // -input=false: never ask; what would ask fails with the way out

  std::string ConfigFolder() const;
  /// -state, else the default state file (before workspaces and -state-url: state_location.h).
  std::string StatePath() const;
};

void AddCommonOptions(CLI::App& app, CommonOptions& options);
/// `-lua-time-limit`, which validate takes too.
void AddLuaTimeLimitOption(CLI::App& app, CommonOptions& options);

/// Parses a command's arguments after giving them the command table's help and value checks
/// (command_table.h); on --help or an error prints and sets `exit_code`. An unknown flag is an
/// error with the command's closest flag. Defined in command_table.cpp.
bool ParseArgs(CLI::App& app, const Args& args, Io& io, int& exit_code);

/// Every Error and Warning on its own line to stderr.
void PrintDiagnostics(const Diagnostics& diagnostics, Io& io);

/// Whether the command may ask the user: not with -input=false, TF_INPUT=0 or STASHFORM_INPUT=0.
bool MayAsk(const CommonOptions& options, const Io& io);

/// Whether colours may be used: a terminal, no NO_COLOR (in the backends' environment), no -no-color.
bool UseColor(const CommonOptions& options, const Io& io);

class Session {
 public:
  Session();
  ~Session();

  /// Evaluates the config, configures servers, locks and loads the state. Prints what went wrong.
  /// Each of Open, Evaluate and OpenState binds the session to `io` (its backends and stderr).
  bool Open(const CommonOptions& options, const std::string& operation, Io& io);
  /// Evaluates the config only, without network (data sources unknown), for `validate`.
  bool Evaluate(const CommonOptions& options, bool offline, Io& io, Diagnostics* diagnostics = nullptr);
  /// Locks (unless -lock=false) and loads the state, without config; for the state commands.
  bool OpenState(const CommonOptions& options, const std::string& operation, Io& io);

  /// Every provider, for schemas; its servers make HTTP clients through the bound backends.
  const provider::Registry& registry() const { return registry_; }

  const dsl::Config& config() const { return config_; }
  engine::Servers& servers() { return *servers_; }
  state::StateStore& store() { return *store_; }
  state::State& state() { return state_; }
  bool state_existed() const { return state_existed_; }
  /// Where OpenState found the state (a URL's password included: print only Shown()).
  const StateLocation& state_location() const { return location_; }
  /// The environment variables the config read (`env "NAME"`, STASHFORM_VAR_*), in name order:
  /// a saved plan names the one a secret came from, so that apply re-reads it from there.
  const std::set<std::string>& environment_read() const { return *environment_read_; }

 private:
  /// From now on, HTTP clients come from io.backends and wait lines go to io.err.
  void Bind(Io& io);

  int parallelism_ = 16;           // from the options; caps each client's requests in flight
  HttpClientFactory make_client_;  // set by Bind; the providers call it through a forwarder
  provider::Registry registry_;
  dsl::Config config_;
  std::unique_ptr<engine::Servers> servers_;
  std::unique_ptr<state::StateStore> store_;
  std::map<std::string, std::unique_ptr<provider::Server>> data_servers_;  // for data sources
  StateLocation location_;
  bool locked_ = false;
  bool state_existed_ = false;
  std::shared_ptr<std::set<std::string>> environment_read_ = std::make_shared<std::set<std::string>>();
  state::State state_;
};

/// The registry of every provider this build of stashform carries, making clients with `make_client`.
void RegisterProviders(provider::Registry& registry, const HttpClientFactory& make_client);

}  // namespace stashform::cli
