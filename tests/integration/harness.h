#pragma once
// The integration harness runs the built binaries as a user would: the Bitbucket emulator on a
// free loopback port, and `stashform` as a child process with its own environment and files.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace stashform::testing {

/// A scratch folder removed at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& text) const;  // returns the path
  std::string Read(const std::string& name) const;

 private:
  std::string path_;
};

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::string all() const { return out + err; }
};

/// Runs the stashform binary with `args` in `cwd`, the test's environment plus `env`, and stdin
/// from /dev/null; it is killed if it runs past 120 s.
CliRun RunStashform(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                    const std::string& cwd);

/// Starts the stashform binary like RunStashform but does not wait: stdout and stderr go to
/// `out_path` and `err_path`. Returns the child's pid; the caller must reap it (WaitStashform).
int StartStashform(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                   const std::string& cwd, const std::string& out_path, const std::string& err_path);

/// Waits for a child started by StartStashform: its exit code, 128 + signal when a signal ended it,
/// or -1 when it ran past `limit` (it is then killed with SIGKILL and reaped).
int WaitStashform(int pid, std::chrono::milliseconds limit);

/// A running stashform-emulator; stopped with SIGTERM when the object goes.
class Emulator {
 public:
  explicit Emulator(const std::string& seed_json, const std::vector<std::string>& extra_args = {});
  ~Emulator();
  const std::string& url() const { return url_; }

  struct Answer {
    int status = 0;
    boost::json::value body;
  };
  /// A call to the emulator's admin API (paths under /_emulator/).
  Answer Admin(const std::string& method, const std::string& path, const std::string& body = "") const;
  /// Every webhook the emulator holds, as its dump shows them.
  std::vector<boost::json::value> Webhooks() const;

 private:
  TempDir dir_;
  int pid_ = -1;
  std::string url_;
  std::string host_;
  int port_ = 0;
};

/// A seed with user admin/admin (and a REPO_READ-less user "viewer"/"viewer") and project INFRA
/// with the given repositories.
std::string SeedWithRepositories(const std::vector<std::string>& slugs);

}  // namespace stashform::testing
