#include "tests/dsl/bounded_child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

namespace stashform::dsl::testing {

namespace {

using Clock = std::chrono::steady_clock;

void WriteAll(int fd, const std::string& text) {
  for (size_t done = 0; done < text.size();) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

[[noreturn]] void RunChild(const std::function<std::string()>& body, int result_fd, int err_fd) {
  dup2(err_fd, STDERR_FILENO);
  WriteAll(result_fd, body());
  _exit(0);  // not exit(): the test framework's handlers belong to the parent
}

// Reads whatever is ready on `fd` into `out`; false once the writer has closed it.
bool Drain(int fd, std::string& out) {
  char buffer[4096];
  ssize_t n = read(fd, buffer, sizeof buffer);
  if (n > 0) out.append(buffer, static_cast<size_t>(n));
  return n > 0 || (n < 0 && errno == EAGAIN);
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

}  // namespace

ChildOutcome RunInBoundedChild(const std::function<std::string()>& body, std::chrono::milliseconds bound) {
  int result_pipe[2], err_pipe[2];
  if (pipe(result_pipe) != 0 || pipe(err_pipe) != 0) return {};
  const auto start = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) RunChild(body, result_pipe[1], err_pipe[1]);
  close(result_pipe[1]);
  close(err_pipe[1]);
  fcntl(result_pipe[0], F_SETFL, O_NONBLOCK);
  fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);
  ChildOutcome outcome;
  int status = 0;
  outcome.ended = true;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() - start > bound) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      outcome.ended = false;
      break;
    }
    Drain(result_pipe[0], outcome.result);
    Drain(err_pipe[0], outcome.err);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  outcome.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  outcome.exit_code = outcome.ended ? ExitCode(status) : -1;
  while (Drain(result_pipe[0], outcome.result)) {}
  while (Drain(err_pipe[0], outcome.err)) {}
  close(result_pipe[0]);
  close(err_pipe[0]);
  return outcome;
}

std::string Describe(const ChildOutcome& outcome) {
  if (!outcome.ended) return "still running after " + std::to_string(outcome.elapsed.count()) + " ms; killed";
  return "exit " + std::to_string(outcome.exit_code) + " after " + std::to_string(outcome.elapsed.count()) +
         " ms; result: " + outcome.result + "; stderr: " + outcome.err;
}

}  // namespace stashform::dsl::testing
