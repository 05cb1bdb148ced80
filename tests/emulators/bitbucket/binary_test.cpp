// The standalone binary: prints its address once ready, serves, stops cleanly on SIGTERM.
#include "tests/emulators/bitbucket/harness.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>

namespace stashform::emulator::testing {
namespace {

/// RunningEmulator starts the real binary and reads its "listening on" line (bounded wait).
class RunningEmulator {
 public:
  explicit RunningEmulator(const std::vector<std::string>& extra_args) {
    seed_path_ = ::testing::TempDir() + "/emulator-seed-" + std::to_string(getpid()) + ".json";
    std::ofstream(seed_path_) << kDefaultSeed;
    std::vector<std::string> args{STASHFORM_EMULATOR_BINARY, "bitbucket", "--port", "0", "--seed", seed_path_};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_fd_ = out[0];
    first_line_ = ReadLine(10'000);
  }

  ~RunningEmulator() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
    std::remove(seed_path_.c_str());
  }

  const std::string& first_line() const { return first_line_; }

  /// Sends SIGTERM and waits up to ~10 s; the exit status, or -1 if it did not stop.
  int Terminate() {
    kill(pid_, SIGTERM);
    for (int i = 0; i < 1000; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      usleep(10'000);
    }
    return -1;
  }

 private:
  std::string ReadLine(int timeout_ms) {
    std::string line;
    pollfd fd{stdout_fd_, POLLIN, 0};
    while (poll(&fd, 1, timeout_ms) > 0) {
      char c;
      if (read(stdout_fd_, &c, 1) != 1 || c == '\n') break;
      line.push_back(c);
    }
    return line;
  }

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string seed_path_;
  std::string first_line_;
};

TEST(EmulatorBinary, PrintsItsAddressServesAndStopsOnSigterm) {
  RunningEmulator emulator({"--context-path", "/bitbucket"});
  std::smatch match;
  std::regex pattern("listening on http://127\\.0\\.0\\.1:([0-9]+)");
  ASSERT_TRUE(std::regex_match(emulator.first_line(), match, pattern)) << emulator.first_line();
  httplib::Client client("127.0.0.1", std::stoi(match[1]));
  client.set_basic_auth("admin", "admin");
  auto result = client.Get("/bitbucket/rest/api/1.0/projects/INFRA/repos");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(Json(result).at("size").as_int64(), 3);
  auto dump = client.Get("/_emulator/dump");
  ASSERT_TRUE(dump);
  EXPECT_EQ(dump->status, 200);
  EXPECT_EQ(emulator.Terminate(), 0);
}

TEST(EmulatorBinary, FaultFlagsApply) {
  RunningEmulator emulator({"--fail-nth", "GET /rest/api/1.0/projects=2:503"});
  std::smatch match;
  std::regex pattern("listening on http://127\\.0\\.0\\.1:([0-9]+)");
  ASSERT_TRUE(std::regex_match(emulator.first_line(), match, pattern)) << emulator.first_line();
  httplib::Client client("127.0.0.1", std::stoi(match[1]));
  client.set_basic_auth("admin", "admin");
  EXPECT_EQ(client.Get("/rest/api/1.0/projects")->status, 200);
  EXPECT_EQ(client.Get("/rest/api/latest/projects")->status, 503);
  EXPECT_EQ(client.Get("/rest/api/1.0/projects")->status, 200);
  EXPECT_EQ(emulator.Terminate(), 0);
}

}  // namespace
}  // namespace stashform::emulator::testing
