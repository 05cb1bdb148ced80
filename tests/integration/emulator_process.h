#pragma once
// EmulatorProcess runs one built `stashform-emulator KIND` on a free loopback port and reaches its
// admin API; the per-platform harnesses (Spacelift, Gitpod, Packagist) are thin wrappers over it.

#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace stashform::testing {

/// A running `stashform-emulator KIND --port 0 --seed FILE ...`, ready once it printed its
/// `listening on` line; stopped with SIGTERM (then SIGKILL), reaped and its scratch folder removed
/// when the object goes.
class EmulatorProcess {
 public:
  struct Answer {
    int status = 0;
    boost::json::value body;
  };

  EmulatorProcess(const std::string& binary, const std::string& kind, const std::string& seed_json,
                  const std::vector<std::string>& extra_args);
  ~EmulatorProcess();
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  const std::string& url() const { return url_; }
  /// A call to the admin API (paths under /_emulator/); the body is parsed when it is JSON.
  Answer Admin(const std::string& method, const std::string& path, const std::string& body = "") const;
  /// The array `key` of the admin answer at `path`, e.g. ("/_emulator/requests", "requests").
  std::vector<boost::json::value> ListAt(const std::string& path, const std::string& key) const;

 private:
  void Stop();  // safe to call twice
  std::string kind_;
  std::string dir_;
  int pid_ = -1;
  std::string url_;
  int port_ = 0;
};

}  // namespace stashform::testing
