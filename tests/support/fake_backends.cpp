#include "tests/support/fake_backends.h"

namespace stashform::cli {

GetEnv FakeEnvironment::AsGetEnv() const {
  return [this](const char* name) -> const char* {
    auto found = values_.find(name);
    return found == values_.end() ? nullptr : found->second.c_str();
  };
}

StateStoreFactory MemoryStateStores::AsFactory() {
  return [this](const std::string& path, state::StateStoreOptions options) -> std::unique_ptr<state::StateStore> {
    opened_.emplace_back(path, options);
    return std::make_unique<state::MemoryStateStore>(At(path), options);
  };
}

StateExistsFn MemoryStateStores::AsExists() {
  return [this](const std::string& path) {
    auto found = backings_.find(path);
    return found != backings_.end() && found->second->bytes.has_value();
  };
}

std::shared_ptr<state::MemoryStateStore::Backing> MemoryStateStores::At(const std::string& path) {
  auto& backing = backings_[path];
  if (!backing) backing = std::make_shared<state::MemoryStateStore::Backing>();
  return backing;
}

std::optional<state::State> MemoryStateStores::StateAt(const std::string& path) {
  auto backing = At(path);
  if (!backing->bytes) return std::nullopt;
  auto decoded = state::DecodeState(*backing->bytes, path);
  if (!decoded.ok()) return std::nullopt;
  return std::move(*decoded);
}

void FakeInterrupts::Catch() {
  flag_ = false;
  catching_ = true;
  ++catches_;
}

void FakeInterrupts::Raise() {
  if (catching_) flag_ = true;
  else ++unhandled_;
}

Io RecordedTerminal::MakeIo(const Backends& backends) {
  return Io{out, err, in, out_is_terminal, in_is_terminal, err_is_terminal, backends};
}

FakeBackends::FakeBackends() {
  backends_.make_http_client = [this](const http::ClientOptions& options) -> std::unique_ptr<http::HttpClient> {
    clients_made_.push_back(options);
    return std::make_unique<http::ForwardingHttpClient>(http);
  };
  backends_.open_state_store = stores.AsFactory();
  backends_.state_exists = stores.AsExists();
  backends_.clock = &clock;
  backends_.getenv = env.AsGetEnv();
  backends_.interrupts = &interrupts;
}

}  // namespace stashform::cli
