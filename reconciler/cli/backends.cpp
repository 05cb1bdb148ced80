#include "reconciler/cli/backends.h"

#include <csignal>
#include <cstdlib>

#include "modules/http/curl_http_client.h"
#include "state/state_location.h"

namespace stashform::cli {

namespace {

std::atomic<bool>& InterruptedFlag() {
  static std::atomic<bool> interrupted{false};
  return interrupted;
}

/// SIGINT and SIGTERM through sigaction: the handler only sets the flag (async-signal-safe).
class PosixInterrupts : public Interrupts {
 public:
  void Catch() override {
    InterruptedFlag().store(false);
    struct sigaction action {};
    action.sa_handler = [](int) { InterruptedFlag().store(true); };
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  void Release() override {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  const std::atomic<bool>& flag() const override { return InterruptedFlag(); }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

Backends MakeRealBackends() {
  static PosixInterrupts interrupts;
  Backends backends;
  backends.make_http_client = [](const http::ClientOptions& options) -> std::unique_ptr<http::HttpClient> {
    return std::make_unique<http::CurlHttpClient>(options);
  };
  backends.open_state_store = [](const std::string& path, const state::StateStoreOptions& options)
      -> std::unique_ptr<state::StateStore> { return state::OpenStateStore(path, options); };
  // A place that cannot be asked (a database down) counts as existing: opening it then says why.
  backends.state_exists = [](const std::string& path) {
    auto exists = state::StateExistsAt(path);
    return !exists.ok() || *exists;
  };
  backends.open_workspaces = [](const std::string& where) { return state::OpenWorkspaces(where); };
  backends.clock = &SystemClock::Instance();
  backends.getenv = [](const char* name) -> const char* { return std::getenv(name); };
  backends.interrupts = &interrupts;
  return backends;
}

}  // namespace

const Backends& RealBackends() {
  static const Backends backends = MakeRealBackends();
  return backends;
}

EnvironmentLookup LookupIn(const GetEnv& getenv) {
  return [&getenv](const std::string& name) -> std::optional<std::string> {
    const char* value = getenv(name.c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
  };
}

}  // namespace stashform::cli
