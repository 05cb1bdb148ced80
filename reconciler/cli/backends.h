#pragma once
// Backends is everything outside the process that a CLI command reaches — HTTP, the state store,
// time, the environment, signals — as leveldb's Env. main alone wires the real ones
// (RealBackends); unit tests wire fakes (tests/support/fake_backends.h). The terminal and the
// standard streams are the Io beside it (commands.h), which carries a reference to it.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/clock.h"
#include "modules/http/http_client.h"
#include "state/store.h"
#include "state/store_options.h"
#include "state/workspaces.h"

namespace stashform::cli {

/// Makes the HTTP client of one server block (the providers' factory shape).
using HttpClientFactory = std::function<std::unique_ptr<http::HttpClient>(const http::ClientOptions&)>;
/// Opens the state store at `path` (a file or a postgres:// URL; see state_location.h).
using StateStoreFactory = state::StateStoreFactory;
/// Whether a state was ever written at `path` (the state commands refuse to act on none).
using StateExistsFn = std::function<bool(const std::string& path)>;
/// The workspaces of the place whose default workspace is at `where` (a path or a URL).
using WorkspacesFactory = std::function<Result<std::unique_ptr<state::WorkspaceCatalog>>(const std::string& where)>;
/// Reads one environment variable; nullptr when unset. Same shape as state::GetEnv.
using GetEnv = state::GetEnv;
/// The value of a variable, or nothing when unset: the shape the DSL and saved plans read.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// Interrupts is where SIGINT and SIGTERM arrive while an apply runs; it never ends the process
/// itself between Catch and Release.
class Interrupts {
 public:
  virtual ~Interrupts() = default;
  /// Clears flag(); until Release, an interrupt sets it instead of ending the process.
  virtual void Catch() = 0;
  /// Restores what an interrupt did before Catch.
  virtual void Release() = 0;
  /// Set once an interrupt arrived; the applier polls it and starts nothing new.
  virtual const std::atomic<bool>& flag() const = 0;
};

/// InterruptGuard catches interrupts for as long as it lives (one apply).
class InterruptGuard {
 public:
  explicit InterruptGuard(Interrupts& interrupts) : interrupts_(interrupts) { interrupts_.Catch(); }
  ~InterruptGuard() { interrupts_.Release(); }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  const std::atomic<bool>& flag() const { return interrupts_.flag(); }

 private:
  Interrupts& interrupts_;
};

/// Backends holds the seams; it owns none of them (main's or the test's objects outlive it).
struct Backends {
  HttpClientFactory make_http_client;  // per server block; the session adds its wait-line printer
  StateStoreFactory open_state_store;
  StateExistsFn state_exists;
  WorkspacesFactory open_workspaces;   // `stashform workspace`; unset in fakes that need none
  Clock* clock = nullptr;              // calendar time that lock holders record
  GetEnv getenv;                       // config `env "VAR"`, STASHFORM_*, NO_COLOR, the state keys
  Interrupts* interrupts = nullptr;    // polled by apply
};

/// The real ones: curl, the state file, the system clock, the process environment, POSIX
/// signals. Only main calls it; the test binaries do not.
const Backends& RealBackends();

/// `getenv` in the EnvironmentLookup shape; `getenv` must outlive what this returns.
EnvironmentLookup LookupIn(const GetEnv& getenv);

}  // namespace stashform::cli
