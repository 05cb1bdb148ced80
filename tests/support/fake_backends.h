#pragma once
// Fakes for the CLI's backends (reconciler/cli/backends.h): a state folder in memory, an
// environment of the test's own, interrupts a test raises, and the user's side of the terminal.
// FakeBackends gathers them with FakeHttpClient and FakeClock for an in-process CLI run.

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "reconciler/cli/backends.h"
#include "reconciler/cli/commands.h"
#include "tests/support/memory_state_store.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_http_client.h"

namespace stashform::cli {

/// FakeEnvironment holds only the variables a test sets; the process environment is never read.
class FakeEnvironment {
 public:
  void Set(const std::string& name, std::string value) { values_[name] = std::move(value); }
  void Unset(const std::string& name) { values_.erase(name); }
  /// A getter over these variables; a value read stays valid until that variable is set again.
  GetEnv AsGetEnv() const;

 private:
  std::map<std::string, std::string> values_;
};

/// MemoryStateStores is a folder of state files held in memory: stores opened on one path share
/// one backing (content and lock), like two runs on one file. Nothing touches the disk.
class MemoryStateStores {
 public:
  StateStoreFactory AsFactory();
  /// Whether a state was written at a path (StateExistsFn).
  StateExistsFn AsExists();
  /// The backing at `path`, made empty (no state) if nothing was opened or written there yet.
  std::shared_ptr<state::MemoryStateStore::Backing> At(const std::string& path);
  /// The state stored at `path`, decoded; nothing when none was written.
  std::optional<state::State> StateAt(const std::string& path);
  /// Every path opened, in order, with the options it was opened with.
  const std::vector<std::pair<std::string, state::StateStoreOptions>>& opened() const { return opened_; }

 private:
  std::map<std::string, std::shared_ptr<state::MemoryStateStore::Backing>> backings_;
  std::vector<std::pair<std::string, state::StateStoreOptions>> opened_;
};

/// FakeInterrupts stands in for SIGINT/SIGTERM: Raise is the user pressing Ctrl-C.
class FakeInterrupts : public Interrupts {
 public:
  void Catch() override;
  void Release() override { catching_ = false; }
  const std::atomic<bool>& flag() const override { return flag_; }

  /// An interrupt: sets the flag while caught; outside a Catch it is recorded as unhandled.
  void Raise();
  bool catching() const { return catching_; }
  int catches() const { return catches_; }
  int unhandled() const { return unhandled_; }

 private:
  std::atomic<bool> flag_{false};
  std::atomic<bool> catching_{false};
  std::atomic<int> catches_{0};
  std::atomic<int> unhandled_{0};
};

/// RecordedTerminal is the user's side of one command: what it printed and what the user types.
struct RecordedTerminal {
  std::ostringstream out;
  std::ostringstream err;
  std::istringstream in;
  bool out_is_terminal = false;
  bool in_is_terminal = false;
  bool err_is_terminal = false;

  /// What the user will type at the prompts.
  void Type(const std::string& text) { in.str(text); in.clear(); }
  /// The Io a command runs with: these streams and `backends`.
  Io MakeIo(const Backends& backends);
};

/// FakeBackends is every seam of the CLI, faked. One FakeHttpClient answers every server block;
/// the options each client was made with are recorded.
class FakeBackends {
 public:
  FakeBackends();
  FakeBackends(const FakeBackends&) = delete;
  FakeBackends& operator=(const FakeBackends&) = delete;

  const Backends& backends() const { return backends_; }
  /// The ClientOptions of every HTTP client made, in order.
  const std::vector<http::ClientOptions>& clients_made() const { return clients_made_; }

  http::FakeHttpClient http;
  MemoryStateStores stores;
  FakeClock clock;
  FakeEnvironment env;
  FakeInterrupts interrupts;

 private:
  std::vector<http::ClientOptions> clients_made_;
  Backends backends_;
};

}  // namespace stashform::cli
