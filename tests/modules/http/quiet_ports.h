#pragma once
// Loopback ports that keep a client waiting or turn it away, for the tests of hosts that keep a
// pipeline waiting: RefusingPort refuses every connection, SilentListener accepts (in the kernel)
// and never answers. Header-only so that the integration tests can use them too.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace stashform::http::testing {

/// A loopback socket bound to a port, listening or not; the port is free for no one else.
class BoundLoopbackSocket {
 public:
  explicit BoundLoopbackSocket(bool listening) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    socklen_t length = sizeof(address);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    if (listening) listen(fd_, 64);
  }
  ~BoundLoopbackSocket() { close(fd_); }
  BoundLoopbackSocket(const BoundLoopbackSocket&) = delete;
  BoundLoopbackSocket& operator=(const BoundLoopbackSocket&) = delete;
  int port() const { return port_; }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  int fd_;
  int port_ = 0;
};

/// Bound but not listening: connecting is refused at once, as to a server that is not running.
class RefusingPort : public BoundLoopbackSocket {
 public:
  RefusingPort() : BoundLoopbackSocket(false) {}
};

/// Listening but never accepting: the kernel completes the handshake and takes the request, and
/// no answer ever comes, as from a hung server.
class SilentListener : public BoundLoopbackSocket {
 public:
  SilentListener() : BoundLoopbackSocket(true) {}
};

}  // namespace stashform::http::testing
