// The Beast transport as raw HTTP/1.1 sees it: Expect: 100-continue, keep-alive, pipelining order.
#include "tests/emulators/bitbucket/harness.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace stashform::emulator::testing {
namespace {

/// RawConnection speaks bytes to the emulator; every read waits at most five seconds.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawConnection() { close(fd_); }
  bool connected() const { return connected_; }
  void Send(const std::string& bytes) { ASSERT_EQ(write(fd_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size())); }
  /// Reads until `marker` has been seen (or five seconds pass); returns all bytes read.
  std::string ReadUntil(const std::string& marker) {
    std::string text;
    pollfd fd{fd_, POLLIN, 0};
    while (text.find(marker) == std::string::npos && poll(&fd, 1, 5000) > 0) {
      char buffer[4096];
      ssize_t n = read(fd_, buffer, sizeof buffer);
      if (n <= 0) break;
      text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

std::string Auth() { return "Authorization: " + AdminAuth() + "\r\n"; }

TEST(BitbucketTransport, AnswersExpect100ContinueBeforeTheBodyIsSent) {
  Harness emulator;
  RawConnection connection(emulator.port());
  ASSERT_TRUE(connection.connected());
  std::string body = R"({"name":"big","url":"https://x.example","events":["pr:merged"]})";
  connection.Send("POST /rest/api/1.0/projects/INFRA/repos/tf-network/webhooks HTTP/1.1\r\nHost: x\r\n" + Auth() +
                  "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n");
  std::string interim = connection.ReadUntil("\r\n\r\n");
  ASSERT_EQ(interim.rfind("HTTP/1.1 100 Continue", 0), 0u) << interim;
  connection.Send(body);
  std::string final_answer = connection.ReadUntil("\"big\"");
  EXPECT_EQ(final_answer.rfind("HTTP/1.1 201", 0), 0u) << final_answer;
}

TEST(BitbucketTransport, KeepAliveServesSeveralRequestsOnOneConnectionInOrder) {
  Harness emulator;
  RawConnection connection(emulator.port());
  ASSERT_TRUE(connection.connected());
  connection.Send("GET /rest/api/1.0/projects/INFRA HTTP/1.1\r\nHost: x\r\n" + Auth() + "\r\n" +
                  "GET /rest/api/1.0/projects/APP HTTP/1.1\r\nHost: x\r\n" + Auth() + "\r\n");
  std::string answers = connection.ReadUntil("\"key\":\"APP\"");
  auto first = answers.find("\"key\":\"INFRA\"");
  auto second = answers.find("\"key\":\"APP\"");
  ASSERT_NE(first, std::string::npos) << answers;
  ASSERT_NE(second, std::string::npos) << answers;
  EXPECT_LT(first, second);
}

TEST(BitbucketTransport, ConcurrentCreatesGetDistinctIdsAndAllLand) {
  Harness emulator;
  const std::string hooks = "/rest/api/1.0/projects/INFRA/repos/tf-network/webhooks";
  constexpr int kThreads = 8;
  constexpr int kPerThread = 10;
  std::vector<std::vector<std::int64_t>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto result = emulator.Send("POST", hooks, R"({"name":"h","url":"https://x.example","events":["pr:merged"]})");
        if (result && result->status == 201) ids[t].push_back(Json(result).at("id").as_int64());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::int64_t> distinct;
  for (const auto& list : ids) distinct.insert(list.begin(), list.end());
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(Json(emulator.Send("GET", hooks + "?limit=1000")).at("size").as_int64(), kThreads * kPerThread);
}

}  // namespace
}  // namespace stashform::emulator::testing
