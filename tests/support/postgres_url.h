#pragma once
// The URL of the PostgreSQL server the test suite started (tests/support/pg_server.sh, CTest
// fixture postgres_server), and a fresh schema per test so that tests never see each other's rows.

#include <atomic>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>

namespace stashform::testing {

/// The server's base URL (`postgres://stashform@127.0.0.1:PORT/postgres`), "" when not running.
inline std::string PostgresServerUrl(const std::string& url_file) {
  std::ifstream in(url_file);
  std::string url;
  std::getline(in, url);
  return url;
}

/// A schema name no other test uses: t_<pid>_<counter>_<random>.
inline std::string FreshSchema() {
  static std::atomic<int> counter{0};
  static std::mt19937_64 random{std::random_device{}()};
  return "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(random() % 100000);
}

}  // namespace stashform::testing
