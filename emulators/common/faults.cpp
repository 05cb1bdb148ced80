#include "emulators/common/faults.h"

#include "emulators/common/router.h"

#include <cmath>
#include <stdexcept>

namespace stashform::emulator {

namespace {
double NumberOf(const boost::json::value& value) {
  if (value.is_int64()) return static_cast<double>(value.as_int64());
  if (value.is_uint64()) return static_cast<double>(value.as_uint64());
  if (value.is_double()) return value.as_double();
  throw std::runtime_error("expected a number");
}
}  // namespace

FaultConfig FaultConfigFromJson(const boost::json::value& json) {
  FaultConfig config;
  const auto& object = json.as_object();
  if (auto* v = object.if_contains("latencyMs")) config.latency_ms = static_cast<int>(NumberOf(*v));
  if (auto* v = object.if_contains("jitterMs")) config.jitter_ms = static_cast<int>(NumberOf(*v));
  if (auto* v = object.if_contains("dropRate")) config.drop_rate = NumberOf(*v);
  if (auto* v = object.if_contains("lostAnswerRate")) config.lost_answer_rate = NumberOf(*v);
  if (auto* v = object.if_contains("seed")) config.random_seed = static_cast<unsigned>(NumberOf(*v));
  if (auto* v = object.if_contains("errorRates")) {
    for (const auto& [status, rate] : v->as_object()) config.error_rates[std::stoi(std::string(status))] = NumberOf(rate);
  }
  if (auto* v = object.if_contains("rateLimit")) {
    const auto& limit = v->as_object();
    config.rate_limit.enabled = limit.contains("enabled") ? limit.at("enabled").as_bool() : true;
    config.rate_limit.capacity = NumberOf(limit.at("capacity"));
    config.rate_limit.fill_rate = NumberOf(limit.at("fillRate"));
  }
  if (auto* v = object.if_contains("failNth")) {
    for (const auto& item : v->as_array()) {
      const auto& rule_json = item.as_object();
      FailNthRule rule;
      rule.path = std::string(rule_json.at("path").as_string());
      if (auto* m = rule_json.if_contains("method")) rule.method = std::string(m->as_string());
      if (auto* n = rule_json.if_contains("n")) rule.n = static_cast<long>(NumberOf(*n));
      if (auto* s = rule_json.if_contains("status")) rule.status = static_cast<int>(NumberOf(*s));
      config.fail_nth.push_back(rule);
    }
  }
  return config;
}

boost::json::object FaultConfigToJson(const FaultConfig& config) {
  boost::json::object json;
  json["latencyMs"] = config.latency_ms;
  json["jitterMs"] = config.jitter_ms;
  boost::json::object rates;
  for (const auto& [status, rate] : config.error_rates) rates[std::to_string(status)] = rate;
  json["errorRates"] = rates;
  json["dropRate"] = config.drop_rate;
  json["lostAnswerRate"] = config.lost_answer_rate;
  json["rateLimit"] = {{"enabled", config.rate_limit.enabled},
                       {"capacity", config.rate_limit.capacity},
                       {"fillRate", config.rate_limit.fill_rate}};
  boost::json::array rules;
  for (const auto& rule : config.fail_nth) {
    rules.push_back({{"method", rule.method}, {"path", rule.path}, {"n", rule.n}, {"status", rule.status},
                     {"seen", rule.seen}, {"fired", rule.fired}});
  }
  json["failNth"] = rules;
  json["seed"] = config.random_seed;
  return json;
}

std::string DecodedPath(const std::string& raw_path) { return JoinSegments(DecodedSegments(raw_path)); }

Faults::Faults(FaultConfig config, PathNormalizer normalizer) : normalizer_(std::move(normalizer)) {
  Configure(std::move(config));
}

void Faults::RestartCounters() {
  FaultConfig config = config_;
  for (auto& rule : config.fail_nth) {
    rule.seen = 0;
    rule.fired = false;
  }
  Configure(std::move(config));
}

void Faults::Configure(FaultConfig config) {
  config_ = std::move(config);
  for (auto& rule : config_.fail_nth) rule.path = normalizer_(rule.path);
  random_.seed(config_.random_seed ? config_.random_seed : std::random_device{}());
  buckets_.clear();
}

FaultDecision Faults::Decide(const std::string& method, const std::string& path, const std::string& caller) {
  FaultDecision decision;
  const std::string normalized_path = normalizer_(path);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  decision.delay = std::chrono::milliseconds(config_.latency_ms);
  if (config_.jitter_ms > 0) {
    std::uniform_int_distribution<int> jitter(0, config_.jitter_ms);
    decision.delay += std::chrono::milliseconds(jitter(random_));
  }
  for (auto& rule : config_.fail_nth) {
    if (rule.fired || rule.path != normalized_path || (!rule.method.empty() && rule.method != method)) continue;
    if (++rule.seen < rule.n) continue;
    rule.fired = true;
    if (rule.status == 0) {
      decision.drop = true;
    } else if (rule.status < 0) {
      decision.drop_after_handling = true;
    } else {
      decision.error = InjectedError{rule.status,
                                     "Injected failure of request " + std::to_string(rule.n) + " to " + rule.path + ".",
                                     false, std::nullopt};
    }
    return decision;
  }
  if (config_.drop_rate > 0 && unit(random_) < config_.drop_rate) {
    decision.drop = true;
    return decision;
  }
  if (config_.lost_answer_rate > 0 && unit(random_) < config_.lost_answer_rate) {
    decision.drop_after_handling = true;
    return decision;
  }
  for (const auto& [status, rate] : config_.error_rates) {
    if (rate > 0 && unit(random_) < rate) {
      decision.error = InjectedError{status, "Injected error " + std::to_string(status) + ".", false, std::nullopt};
      return decision;
    }
  }
  if (!caller.empty()) decision.error = TakeFromBucket(caller);
  return decision;
}

std::optional<InjectedError> Faults::TakeFromBucket(const std::string& caller) {
  const auto& limit = config_.rate_limit;
  if (!limit.enabled) return std::nullopt;
  auto now = std::chrono::steady_clock::now();
  auto [it, inserted] = buckets_.try_emplace(caller, Bucket{limit.capacity, now});
  Bucket& bucket = it->second;
  if (!inserted) {
    double seconds = std::chrono::duration<double>(now - bucket.refilled).count();
    bucket.tokens = std::min(limit.capacity, bucket.tokens + seconds * limit.fill_rate);
    bucket.refilled = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  double wait = limit.fill_rate > 0 ? (1.0 - bucket.tokens) / limit.fill_rate : 60.0;
  return InjectedError{429, "Rate limit exceeded. Please wait before retrying.", true,
                       std::max<long>(1, static_cast<long>(std::ceil(wait)))};
}

}  // namespace stashform::emulator
