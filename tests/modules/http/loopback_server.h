#pragma once
// LoopbackServer runs a cpp-httplib server on 127.0.0.1 for the HTTP client tests and counts what
// it saw: requests, distinct client connections, requests in flight at once.

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace stashform::http::testing {

class LoopbackServer {
 public:
  /// `server` may be an httplib::SSLServer; `scheme` then is "https".
  explicit LoopbackServer(
      std::unique_ptr<httplib::Server> server = std::make_unique<httplib::Server>(),
      std::string scheme = "http")
      : server_(std::move(server)), scheme_(std::move(scheme)) {
    // A proxy set in the environment running the tests must not see loopback traffic.
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    server_->set_tcp_nodelay(true);  // else Nagle delays each small answer by ~40 ms
    server_->set_keep_alive_max_count(1000);
    server_->set_keep_alive_timeout(1);  // bounds how long teardown waits for idle connections
    port_ = server_->bind_to_any_port("127.0.0.1");
  }
  ~LoopbackServer() {
    Release();
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }

  /// Register handlers first, then Start.
  httplib::Server& server() { return *server_; }
  void Start() {
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  int port() const { return port_; }
  std::string Url(const std::string& path) const {
    return scheme_ + "://127.0.0.1:" + std::to_string(port_) + path;
  }

  /// Call first in every handler.
  void Saw(const httplib::Request& request) {
    std::lock_guard lock(mutex_);
    ++requests_;
    client_ports_.insert(request.remote_port);
    seen_.notify_all();
  }
  int requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  int connections() {
    std::lock_guard lock(mutex_);
    return static_cast<int>(client_ports_.size());
  }
  /// Waits (at most 10 s) until `count` requests arrived; returns how many did.
  int WaitForRequests(int count) {
    std::unique_lock lock(mutex_);
    seen_.wait_for(lock, std::chrono::seconds(10), [&] { return requests_ >= count; });
    return requests_;
  }

  /// For handlers that must hang: blocks until Release() or 10 s.
  void Hang() {
    std::unique_lock lock(mutex_);
    released_cv_.wait_for(lock, std::chrono::seconds(10), [&] { return released_; });
  }
  void Release() {
    {
      std::lock_guard lock(mutex_);
      released_ = true;
    }
    released_cv_.notify_all();
  }

  /// Tracks the most requests seen in handlers at once; wrap a handler body with Enter/Leave.
  void Enter() {
    std::lock_guard lock(mutex_);
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
  }
  void Leave() {
    std::lock_guard lock(mutex_);
    --in_flight_;
  }
  int max_in_flight() {
    std::lock_guard lock(mutex_);
    return max_in_flight_;
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::string scheme_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable seen_;
  std::condition_variable released_cv_;
  bool released_ = false;
  int requests_ = 0;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
  std::set<int> client_ports_;
};

}  // namespace stashform::http::testing
