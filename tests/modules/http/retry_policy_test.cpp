#include "modules/http/retry_policy.h"

#include <gtest/gtest.h>

#include <iterator>
#include <string>

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

// One case per row of RetryTable(), in its order: what a try ended with, and whether a retry_safe
// request (GET, PUT, DELETE) and a create are sent again.
struct RetryRow {
  const char* test_name;
  const char* what;
  long status;
  TransportFailure failure;
  bool retry_safe_retried;
  bool create_retried;
};

constexpr RetryRow kRetryRows[] = {
    {"Status429", "429", 429, TransportFailure::kNone, true, true},
    {"Status500", "500", 500, TransportFailure::kNone, true, false},
    {"Status502", "502", 502, TransportFailure::kNone, true, false},
    {"Status503", "503", 503, TransportFailure::kNone, true, true},
    {"Status504", "504", 504, TransportFailure::kNone, true, false},
    {"AnyOtherStatus", "any other status", 404, TransportFailure::kNone, false, false},
    {"Refused", "connection refused", 0, TransportFailure::kRefused, true, true},
    {"NotSent", "not sent (DNS, TLS handshake, connect timeout)", 0, TransportFailure::kNotSent, true, true},
    {"MaybeSent", "maybe sent (timeout, reset, empty reply)", 0, TransportFailure::kMaybeSent, true, false},
    {"CannotPass", "cannot pass (certificate, bad URL)", 0, TransportFailure::kPermanent, false, false},
};

class RetryTableRow : public ::testing::TestWithParam<RetryRow> {};

TEST_P(RetryTableRow, RetriesAsTheTableSays) {
  const RetryRow& row = GetParam();
  EXPECT_STREQ(RuleFor(row.failure, row.status).what, row.what);
  const Response response = Answer(row.status);
  for (const bool retry_safe : {true, false}) {
    Request request;
    request.retry_safe = retry_safe;
    const auto delay = NextRetryDelay(request, {&response, row.failure, 1, std::nullopt}, {}, kNow, 0.5);
    EXPECT_EQ(delay.has_value(), retry_safe ? row.retry_safe_retried : row.create_retried)
        << (retry_safe ? "retry_safe request" : "create");
  }
}

std::string RowName(const ::testing::TestParamInfo<RetryRow>& info) {
  return info.param.test_name;
}

INSTANTIATE_TEST_SUITE_P(Rows, RetryTableRow, ::testing::ValuesIn(kRetryRows), RowName);

TEST(RetryTable, HasExactlyTheRowsTheTestCovers) {
  const auto& table = RetryTable();
  ASSERT_EQ(table.size(), std::size(kRetryRows));
  for (size_t i = 0; i < table.size(); ++i) EXPECT_STREQ(table[i].what, kRetryRows[i].what) << i;
}

TEST(RetryTable, SuccessAndClientErrorsFallInAnyOtherStatus) {
  for (const long status : {200L, 201L, 204L, 301L, 400L, 401L, 409L, 501L})
    EXPECT_STREQ(RuleFor(TransportFailure::kNone, status).what, "any other status") << status;
}

TEST(NextRetryDelay, RetriesARefusedConnectionOnceAfterAShortWait) {
  ClientOptions options;
  options.refused_retry_delay = milliseconds(200);
  const Response none = Answer(0);
  EXPECT_EQ(NextRetryDelay({}, {&none, TransportFailure::kRefused, 1, std::nullopt}, options, kNow, 0.5),
            milliseconds(200));
  EXPECT_FALSE(NextRetryDelay({}, {&none, TransportFailure::kRefused, 2, std::nullopt}, options, kNow, 0.5));
}

TEST(NextRetryDelay, StartsNoRetryWhoseWaitReachesTheDeadline) {
  ClientOptions options;
  options.initial_backoff = milliseconds(1000);
  const Response busy = Answer(503);
  const Response limited = Answer(429, {{"Retry-After", "10"}});
  auto delay = [&](const Response& response, milliseconds remaining) {
    return NextRetryDelay({}, {&response, TransportFailure::kNone, 1, remaining}, options, kNow,
                          1.0);
  };
  EXPECT_EQ(delay(busy, milliseconds(1001)), milliseconds(1000));
  EXPECT_FALSE(delay(busy, milliseconds(1000)));
  EXPECT_FALSE(delay(busy, milliseconds(-5)));
  EXPECT_FALSE(delay(limited, seconds(9)));
  EXPECT_EQ(delay(limited, seconds(11)), milliseconds(10000));
}

TEST(NextRetryDelay, HonoursRetryAfterOnA500) {
  const Response failed = Answer(500, {{"Retry-After", "7"}});
  EXPECT_EQ(NextRetryDelay({}, {&failed, TransportFailure::kNone, 1, std::nullopt}, {}, kNow, 0.5),
            milliseconds(7000));
}

TEST(NextRetryDelay, StopsAfterMaxRetries) {
  ClientOptions options;
  options.max_retries = 2;
  const Response busy = Answer(503);
  EXPECT_TRUE(NextRetryDelay({}, {&busy, TransportFailure::kNone, 2, std::nullopt}, options, kNow, 0.5));
  EXPECT_FALSE(NextRetryDelay({}, {&busy, TransportFailure::kNone, 3, std::nullopt}, options, kNow, 0.5));
}

TEST(NextRetryDelay, HonoursRetryAfterOverBackoff) {
  ClientOptions options;
  const Response limited = Answer(429, {{"retry-after", "Wed, 21 Oct 2015 07:28:45 GMT"}});
  EXPECT_EQ(NextRetryDelay({}, {&limited, TransportFailure::kNone, 1, std::nullopt}, options, kNow, 0.5),
            milliseconds(45000));
}

TEST(NextRetryDelay, FallsBackToBackoffWhenRetryAfterIsUnreadable) {
  ClientOptions options;
  options.initial_backoff = milliseconds(100);
  const Response limited = Answer(429, {{"Retry-After", "later"}});
  EXPECT_EQ(NextRetryDelay({}, {&limited, TransportFailure::kNone, 1, std::nullopt}, options, kNow, 1.0),
            milliseconds(100));
}

TEST(NextRetryDelay, PassesUpARetryAfterLongerThanWeAcceptToWait) {
  ClientOptions options;
  options.max_retry_after = seconds(60);
  const Response limited = Answer(429, {{"Retry-After", "3600"}});
  EXPECT_FALSE(NextRetryDelay({}, {&limited, TransportFailure::kNone, 1, std::nullopt}, options, kNow, 0.5));
}

}  // namespace
}  // namespace stashform::http
