#pragma once
// HttpServer is the Beast/Asio transport: async accept, read, write, and an asio timer for
// injected latency, so a delayed answer holds no worker thread. It knows no emulated API:
// every emulator hands it one function from Request to Outcome.

#include "emulators/common/http.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace stashform::emulator {

class HttpServer {
 public:
  using Handler = std::function<Outcome(const Request&)>;

  /// Binds at once (port 0 picks a free one); throws std::runtime_error if it cannot.
  HttpServer(const std::string& address, std::uint16_t port, int threads, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const;
  void Start();
  /// Stops accepting, closes connections and joins the workers; safe to call twice.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stashform::emulator
