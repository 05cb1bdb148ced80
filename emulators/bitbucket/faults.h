#pragma once
// Fault injection: latency (fixed + jitter), error rates per status, dropped connections,
// 429 + Retry-After from a per-user token bucket, and "fail the Nth request to this path".
// Faults decides before a handler runs; it never touches the model.

#include "emulators/bitbucket/http.h"

#include <boost/json.hpp>

#include <chrono>
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
  std::string path;    // exact path, /rest/api/1.0 and /latest alike
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
  std::optional<Response> response;  // answer this instead of running the handler
  bool drop = false;                 // close the connection without answering
  bool drop_after_handling = false;  // answer nothing, but let the handler change the model first
  std::chrono::milliseconds delay{0};
};

class Faults {
 public:
  explicit Faults(FaultConfig config = {});
  void Configure(FaultConfig config);
  const FaultConfig& config() const { return config_; }
  /// caller: the authenticated user's name, empty when anonymous (not rate limited).
  FaultDecision Decide(const std::string& method, const std::string& normalized_path, const std::string& caller);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
  };
  std::optional<Response> TakeFromBucket(const std::string& caller);

  FaultConfig config_;
  std::mt19937 random_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace stashform::emulator
