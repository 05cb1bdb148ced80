// bench_emulator_throughput: how many requests per second the Bitbucket emulator answers when every
// answer carries injected latency, with many keep-alive connections open at once.
//
//   bench_emulator_throughput [--connections 64] [--seconds 5] [--latency-ms 20] [--threads 2]
//
// The emulator runs in-process on a loopback port (its own worker threads); the load comes from one
// Asio thread driving all connections asynchronously. It prints figures and never fails on them.

#include "emulators/bitbucket/app.h"
#include "emulators/bitbucket/encoding.h"
#include "emulators/common/server.h"

#include <CLI/CLI.hpp>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

struct Totals {
  std::uint64_t ok = 0;
  std::uint64_t failed = 0;
  std::vector<double> latencies_ms;
};

/// Connection sends requests back to back on one keep-alive connection until the deadline.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io, asio::ip::tcp::endpoint endpoint, std::string target, std::string auth,
             Clock::time_point deadline, Totals& totals)
      : stream_(io), endpoint_(endpoint), deadline_(deadline), totals_(totals) {
    request_ = {http::verb::get, target, 11};
    request_.set(http::field::host, "127.0.0.1");
    request_.set(http::field::authorization, auth);
    request_.keep_alive(true);
  }

  void Start() {
    stream_.async_connect(endpoint_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Fail();
      self->Send();
    });
  }

 private:
  void Send() {
    if (Clock::now() >= deadline_) return;
    sent_ = Clock::now();
    stream_.expires_after(std::chrono::seconds(30));
    http::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->Fail();
      self->response_ = {};
      http::async_read(self->stream_, self->buffer_, self->response_,
                       [self](beast::error_code read_ec, std::size_t) { self->OnAnswer(read_ec); });
    });
  }

  void OnAnswer(beast::error_code ec) {
    if (ec) return Fail();
    if (response_.result_int() == 200) {
      ++totals_.ok;
      totals_.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent_).count());
    } else {
      ++totals_.failed;
    }
    Send();
  }

  void Fail() { ++totals_.failed; }

  beast::tcp_stream stream_;
  asio::ip::tcp::endpoint endpoint_;
  Clock::time_point deadline_;
  Clock::time_point sent_;
  Totals& totals_;
  http::request<http::empty_body> request_;
  http::response<http::string_body> response_;
  beast::flat_buffer buffer_;
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  int connections = 64;
  double seconds = 5;
  int latency_ms = 20;
  int threads = 2;
  CLI::App cli{"Bitbucket emulator throughput under injected latency"};
  cli.add_option("--connections", connections, "concurrent keep-alive connections")->check(CLI::Range(1, 4096));
  cli.add_option("--seconds", seconds, "duration of the run")->check(CLI::Range(0.1, 300.0));
  cli.add_option("--latency-ms", latency_ms, "latency injected into every answer");
  cli.add_option("--threads", threads, "emulator worker threads");
  CLI11_PARSE(cli, argc, argv);

  using namespace stashform::emulator;
  FaultConfig faults;
  faults.latency_ms = latency_ms;
  auto seed = boost::json::parse(R"({"users":[{"name":"admin","password":"admin","admin":true}],
      "projects":[{"key":"INFRA","repositories":[{"slug":"tf-network","webhooks":[
        {"name":"a","url":"https://a.example","events":["repo:refs_changed"]},
        {"name":"b","url":"https://b.example","events":["pr:merged"]}]}]}]})");
  App app(seed, Settings{}, faults);
  HttpServer server("127.0.0.1", 0, threads, [&app](const Request& request) { return app.Handle(request); });
  app.SetBaseUrl("http://127.0.0.1:" + std::to_string(server.port()));
  server.Start();

  asio::io_context io;
  Totals totals;
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), server.port());
  auto started = Clock::now();
  auto deadline = started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  const std::string auth = "Basic " + Base64Encode("admin:admin");
  for (int i = 0; i < connections; ++i)
    std::make_shared<Connection>(io, endpoint, "/rest/api/1.0/projects/INFRA/repos/tf-network/webhooks", auth,
                                 deadline, totals)
        ->Start();
  io.run();
  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  server.Stop();

  std::printf("emulator throughput: %d connections, %d ms injected latency, %d server threads, %.1f s\n", connections,
              latency_ms, threads, elapsed);
  std::printf("  requests ok: %llu, failed: %llu\n", static_cast<unsigned long long>(totals.ok),
              static_cast<unsigned long long>(totals.failed));
  std::printf("  throughput: %.0f req/s\n", static_cast<double>(totals.ok) / elapsed);
  if (latency_ms > 0)
    std::printf("  ceiling with this latency and concurrency: %.0f req/s\n", connections * 1000.0 / latency_ms);
  std::printf("  latency ms: p50 %.1f, p99 %.1f, max %.1f\n", Percentile(totals.latencies_ms, 0.5),
              Percentile(totals.latencies_ms, 0.99), Percentile(totals.latencies_ms, 1.0));
  return 0;
}
