#pragma once
// Fault injection: latency (fixed + jitter), error rates per status, dropped connections,
// 429 + Retry-After from a per-user token bucket, and "fail the Nth request to this path".
// Faults decides before a handler runs; it never touches the model, and it writes no answer: an
// emulator dresses an InjectedError in its own envelope (ErrorShape::Injected).

#include "emulators/common/errors.h"

#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace stashform::emulator {

struct RateLimitConfig {
  bool enabled = false;
  double capacity = 0;    // bucket size, requests
  double fill_rate = 0;   // requests per second
};

struct FailNthRule {
  std::string method;  // empty: any method
  std::string path;    // exact path, compared after the emulator's path normalizer
  long n = 1;          // 1-based: the Nth matching request fails, once
  int status = 500;    // 0: drop the connection unanswered; -1: run the request, then drop the answer
  long seen = 0;
  bool fired = false;
};

struct FaultConfig {
  int latency_ms = 0;
  int jitter_ms = 0;
  std::map<int, double> error_rates;  // status → probability in [0,1]
  double drop_rate = 0;
  double lost_answer_rate = 0;  // run the request, then close without answering (a lost response)
  RateLimitConfig rate_limit;
  std::vector<FailNthRule> fail_nth;
  unsigned random_seed = 0;  // 0: nondeterministic
};

/// Parses the admin API / --faults JSON shape documented in docs/emulator.md.
FaultConfig FaultConfigFromJson(const boost::json::value& json);
boost::json::object FaultConfigToJson(const FaultConfig& config);

struct FaultDecision {
  std::optional<InjectedError> error;  // answer this instead of running the handler
  bool drop = false;                 // close the connection without answering
  bool drop_after_handling = false;  // answer nothing, but let the handler change the model first
  std::chrono::milliseconds delay{0};
};

/// PathNormalizer maps a raw path to the form fail-Nth rules compare (e.g. /rest/api/1.0 → /latest).
using PathNormalizer = std::function<std::string(const std::string&)>;
/// The default: percent-decoded segments joined again ("/a//b/" → "/a/b").
std::string DecodedPath(const std::string& raw_path);

/// Faults holds the configuration and the dice; Decide is called once per API request.
class Faults {
 public:
  explicit Faults(FaultConfig config = {}, PathNormalizer normalizer = DecodedPath);
  void Configure(FaultConfig config);
  const FaultConfig& config() const { return config_; }
  /// Same rules, counters restarted (what an emulator reset does).
  void RestartCounters();
  /// caller: the authenticated user or API key, empty when anonymous (not rate limited).
  /// path goes through the normalizer before it is compared with the fail-Nth rules.
  FaultDecision Decide(const std::string& method, const std::string& path, const std::string& caller);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
  };
  std::optional<InjectedError> TakeFromBucket(const std::string& caller);

  PathNormalizer normalizer_;
  FaultConfig config_;
  std::mt19937 random_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace stashform::emulator
