#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/status.h"

namespace stashform {
namespace {

TEST(Status, OkHasNoCodeMessageOrCall) {
  Status status = Status::Ok();
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kOk);
  EXPECT_EQ(status.message(), "");
  EXPECT_EQ(status.http_status(), 0);
  EXPECT_EQ(status.call(), "");
  EXPECT_FALSE(status.IsNotFound());
  EXPECT_FALSE(status.MayPass());
}

TEST(Status, AnErrorWithoutACodeIsInternalAndDoesNotPass) {
  Status status = Status::Error("config.lua:3: unknown attribute");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_EQ(status.message(), "config.lua:3: unknown attribute");
  EXPECT_FALSE(status.MayPass()) << "a failure of our own does not go away by sending again";
}

TEST(Status, AnEmptyMessageIsStillAFailure) { EXPECT_FALSE(Status::Error("").ok()); }

TEST(Status, AnErrorCannotBeOk) {
  Status status = Status::Error(StatusCode::kOk, "confused caller");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInternal);
}

TEST(Status, PredicatesReadTheCodeNotTheMessage) {
  EXPECT_TRUE(Status::NotFound("GET /x: 404 Not Found").IsNotFound());
  EXPECT_TRUE(Status::Error(StatusCode::kNotFound, "the page wandered off").IsNotFound());
  EXPECT_FALSE(Status::Error(StatusCode::kInvalidArgument, "project not found").IsNotFound());
  EXPECT_FALSE(Status::Error("not found").IsNotFound());
  EXPECT_TRUE(Status::AlreadyExists("name taken").IsAlreadyExists());
  EXPECT_FALSE(Status::Error(StatusCode::kInvalidArgument, "already exists").IsAlreadyExists());
}

TEST(Status, WithHttpKeepsCodeAndMessageAndAddsTheCall) {
  Status status = Status::NotFound("GET http://bb/rest/x: 404").WithHttp(404, "GET /rest/x");
  EXPECT_TRUE(status.IsNotFound());
  EXPECT_EQ(status.message(), "GET http://bb/rest/x: 404");
  EXPECT_EQ(status.http_status(), 404);
  EXPECT_EQ(status.call(), "GET /rest/x");
}

TEST(Status, PrefixedKeepsEverythingButTheMessage) {
  Status status = Status::Error(StatusCode::kRateLimited, "POST /graphql: HTTP 429").WithHttp(429, "POST /graphql");
  Status prefixed = status.Prefixed("spacelift StackRead: ");
  EXPECT_EQ(prefixed.message(), "spacelift StackRead: POST /graphql: HTTP 429");
  EXPECT_EQ(prefixed.code(), StatusCode::kRateLimited);
  EXPECT_EQ(prefixed.http_status(), 429);
  EXPECT_EQ(prefixed.call(), "POST /graphql");
  EXPECT_TRUE(Status::Ok().Prefixed("x: ").ok());
}

TEST(Status, MayPassFollowsTheCodeTable) {
  struct Case {
    StatusCode code;
    long http_status;
    bool may_pass;
  };
  const std::vector<Case> cases = {
      {StatusCode::kNotFound, 404, false},        {StatusCode::kAlreadyExists, 409, false},
      {StatusCode::kUnauthenticated, 401, false}, {StatusCode::kPermissionDenied, 403, false},
      {StatusCode::kInvalidArgument, 400, false}, {StatusCode::kFailedPrecondition, 412, false},
      {StatusCode::kRateLimited, 429, true},      {StatusCode::kUnavailable, 503, true},
      {StatusCode::kUnavailable, 0, true},        {StatusCode::kDeadlineExceeded, 0, true},
      {StatusCode::kInternal, 500, true},         {StatusCode::kInternal, 200, false},
      {StatusCode::kInternal, 0, false},
  };
  for (const auto& c : cases) {
    Status status = Status::Error(c.code, "any words at all").WithHttp(c.http_status, "POST /x");
    EXPECT_EQ(status.MayPass(), c.may_pass) << CodeName(c.code) << " with HTTP " << c.http_status;
  }
}

TEST(Status, EveryCodeHasAPrintableName) {
  EXPECT_STREQ(CodeName(StatusCode::kOk), "ok");
  EXPECT_STREQ(CodeName(StatusCode::kNotFound), "not found");
  EXPECT_STREQ(CodeName(StatusCode::kAlreadyExists), "already exists");
  EXPECT_STREQ(CodeName(StatusCode::kUnauthenticated), "unauthenticated");
  EXPECT_STREQ(CodeName(StatusCode::kPermissionDenied), "permission denied");
  EXPECT_STREQ(CodeName(StatusCode::kInvalidArgument), "invalid argument");
  EXPECT_STREQ(CodeName(StatusCode::kFailedPrecondition), "failed precondition");
  EXPECT_STREQ(CodeName(StatusCode::kRateLimited), "rate limited");
  EXPECT_STREQ(CodeName(StatusCode::kUnavailable), "unavailable");
  EXPECT_STREQ(CodeName(StatusCode::kDeadlineExceeded), "deadline exceeded");
  EXPECT_STREQ(CodeName(StatusCode::kInternal), "internal");
}

TEST(Result, ExposesTheCodeOfItsStatus) {
  Result<int> value = 3;
  EXPECT_EQ(value.code(), StatusCode::kOk);
  Result<int> missing = Status::NotFound("GET /x: 404").WithHttp(404, "GET /x");
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_TRUE(missing.status().IsNotFound());
  EXPECT_EQ(missing.status().http_status(), 404);
  EXPECT_EQ(missing.status().call(), "GET /x");
}

}  // namespace
}  // namespace stashform
