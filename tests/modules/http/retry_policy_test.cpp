#include "modules/http/retry_policy.h"

#include <gtest/gtest.h>

namespace stashform::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

// 2015-10-21 07:28:00 UTC.
const system_clock::time_point kNow = system_clock::from_time_t(1445412480);

TEST(ParseRetryAfter, ReadsSecondsAndTheThreeHttpDateForms) {
  EXPECT_EQ(ParseRetryAfter("120", kNow), milliseconds(120000));
  EXPECT_EQ(ParseRetryAfter(" 0 ", kNow), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", kNow), milliseconds(30000));
  EXPECT_EQ(ParseRetryAfter("Wednesday, 21-Oct-15 07:28:30 GMT", kNow), milliseconds(30000));
  EXPECT_EQ(ParseRetryAfter("Wed Oct 21 07:28:30 2015", kNow), milliseconds(30000));
}

TEST(ParseRetryAfter, ADateInThePastMeansNoWait) {
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", kNow), milliseconds(0));
}

TEST(ParseRetryAfter, RejectsWhatIsNeitherSecondsNorADate) {
  EXPECT_EQ(ParseRetryAfter("", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("1.5", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon", kNow), std::nullopt);
}

TEST(Backoff, DoublesFromTheInitialWaitUpToTheCap) {
  ClientOptions options;
  options.initial_backoff = milliseconds(100);
  options.max_backoff = milliseconds(500);
  EXPECT_EQ(Backoff(1, options, 1.0), milliseconds(100));
  EXPECT_EQ(Backoff(2, options, 1.0), milliseconds(200));
  EXPECT_EQ(Backoff(3, options, 1.0), milliseconds(400));
  EXPECT_EQ(Backoff(4, options, 1.0), milliseconds(500));
  EXPECT_EQ(Backoff(60, options, 1.0), milliseconds(500));
  EXPECT_EQ(Backoff(2, options, 0.0), milliseconds(100));  // jitter keeps at least half
}

Response Answer(long status, Headers headers = {}) {
  Response response;
  response.status = status;
  response.headers = std::move(headers);
  return response;
}

struct RetryCase {
  const char* name;
  long status;
  TransportFailure failure;
  bool retry_safe;
  bool retried;
};

TEST(NextRetryDelay, RetriesOnlyWhatIsTransientAndSafe) {
  const RetryCase cases[] = {
      {"200", 200, TransportFailure::kNone, true, false},
      {"404", 404, TransportFailure::kNone, true, false},
      {"500", 500, TransportFailure::kNone, true, false},
      {"429", 429, TransportFailure::kNone, true, true},
      {"502", 502, TransportFailure::kNone, true, true},
      {"503", 503, TransportFailure::kNone, true, true},
      {"504", 504, TransportFailure::kNone, true, true},
      {"create 429", 429, TransportFailure::kNone, false, true},
      {"create 503", 503, TransportFailure::kNone, false, true},
      {"create 502", 502, TransportFailure::kNone, false, false},
      {"create 504", 504, TransportFailure::kNone, false, false},
      {"refused", 0, TransportFailure::kNotSent, true, true},
      {"create refused", 0, TransportFailure::kNotSent, false, true},
      {"timeout", 0, TransportFailure::kMaybeSent, true, true},
      {"create timeout", 0, TransportFailure::kMaybeSent, false, false},
      {"bad certificate", 0, TransportFailure::kPermanent, true, false},
  };
  ClientOptions options;
  for (const auto& c : cases) {
    Request request;
    request.retry_safe = c.retry_safe;
    const Response response = Answer(c.status);
    const auto delay = NextRetryDelay(request, {&response, c.failure, 1}, options, kNow, 0.5);
    EXPECT_EQ(delay.has_value(), c.retried) << c.name;
  }
}

TEST(NextRetryDelay, StopsAfterMaxRetries) {
  ClientOptions options;
  options.max_retries = 2;
  const Response busy = Answer(503);
  EXPECT_TRUE(NextRetryDelay({}, {&busy, TransportFailure::kNone, 2}, options, kNow, 0.5));
  EXPECT_FALSE(NextRetryDelay({}, {&busy, TransportFailure::kNone, 3}, options, kNow, 0.5));
}

TEST(NextRetryDelay, HonoursRetryAfterOverBackoff) {
  ClientOptions options;
  const Response limited = Answer(429, {{"retry-after", "Wed, 21 Oct 2015 07:28:45 GMT"}});
  EXPECT_EQ(NextRetryDelay({}, {&limited, TransportFailure::kNone, 1}, options, kNow, 0.5),
            milliseconds(45000));
}

TEST(NextRetryDelay, FallsBackToBackoffWhenRetryAfterIsUnreadable) {
  ClientOptions options;
  options.initial_backoff = milliseconds(100);
  const Response limited = Answer(429, {{"Retry-After", "later"}});
  EXPECT_EQ(NextRetryDelay({}, {&limited, TransportFailure::kNone, 1}, options, kNow, 1.0),
            milliseconds(100));
}

TEST(NextRetryDelay, PassesUpARetryAfterLongerThanWeAcceptToWait) {
  ClientOptions options;
  options.max_retry_after = seconds(60);
  const Response limited = Answer(429, {{"Retry-After", "3600"}});
  EXPECT_FALSE(NextRetryDelay({}, {&limited, TransportFailure::kNone, 1}, options, kNow, 0.5));
}

}  // namespace
}  // namespace stashform::http
