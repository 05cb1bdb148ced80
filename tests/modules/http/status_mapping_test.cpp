#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "modules/http/http_client.h"

namespace stashform::http {
namespace {

Response Answer(long status) {
  Response response;
  response.status = status;
  return response;
}

Response NoAnswer(bool timed_out) {
  Response response;
  response.transport_error = timed_out ? "Operation timed out" : "connection refused by bb:7990";
  response.timed_out = timed_out;
  return response;
}

TEST(HttpStatusMapping, EachHttpStatusHasOneCode) {
  struct Case {
    long http_status;
    StatusCode code;
  };
  const std::vector<Case> cases = {
      {200, StatusCode::kOk},
      {204, StatusCode::kOk},
      {400, StatusCode::kInvalidArgument},
      {422, StatusCode::kInvalidArgument},
      {401, StatusCode::kUnauthenticated},
      {403, StatusCode::kPermissionDenied},
      {404, StatusCode::kNotFound},
      {410, StatusCode::kNotFound},
      {409, StatusCode::kAlreadyExists},
      {412, StatusCode::kFailedPrecondition},
      {429, StatusCode::kRateLimited},
      {502, StatusCode::kUnavailable},
      {503, StatusCode::kUnavailable},
      {504, StatusCode::kUnavailable},
      {500, StatusCode::kInternal},
      {501, StatusCode::kInternal},
      {405, StatusCode::kInternal},
      {302, StatusCode::kInternal},
  };
  for (const auto& c : cases)
    EXPECT_EQ(CodeOf(Answer(c.http_status)), c.code)
        << "HTTP " << c.http_status << " gave " << CodeName(CodeOf(Answer(c.http_status)));
}

TEST(HttpStatusMapping, NoAnswerIsUnavailableAndNoAnswerInTimeIsDeadlineExceeded) {
  EXPECT_EQ(CodeOf(NoAnswer(/*timed_out=*/false)), StatusCode::kUnavailable);
  EXPECT_EQ(CodeOf(NoAnswer(/*timed_out=*/true)), StatusCode::kDeadlineExceeded);
}

TEST(HttpStatusMapping, TheCallNamesMethodAndPathButNoHostQueryOrCredentials) {
  Request request;
  request.method = "DELETE";
  request.url = "https://admin:hunter2@bb.example.com:7990/rest/api/1.0/projects/INFRA?token=s3cret#frag";
  EXPECT_EQ(CallOf(request), "DELETE /rest/api/1.0/projects/INFRA");
  request.url = "http://bb.example.com";
  EXPECT_EQ(CallOf(request), "DELETE /");
  request.url = "http://bb.example.com?secret=1";
  EXPECT_EQ(CallOf(request), "DELETE /");
}

TEST(HttpStatusMapping, AFailedCallKeepsTheCallersMessageAndCarriesCodeStatusAndCall) {
  Request request;
  request.method = "GET";
  request.url = "http://bb:7990/rest/api/1.0/projects/GONE";
  Status status = FailedCall(request, Answer(404), "GET http://bb:7990/rest/api/1.0/projects/GONE: 404 Not Found");
  EXPECT_EQ(status.message(), "GET http://bb:7990/rest/api/1.0/projects/GONE: 404 Not Found");
  EXPECT_TRUE(status.IsNotFound());
  EXPECT_EQ(status.http_status(), 404);
  EXPECT_EQ(status.call(), "GET /rest/api/1.0/projects/GONE");
}

TEST(HttpStatusMapping, A2xxTheCallerCouldNotUseIsInternalAndDoesNotPass) {
  Request request;
  request.url = "http://bb:7990/rest/api/1.0/projects";
  Status status = FailedCall(request, Answer(200), "answer is not JSON");
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_EQ(status.http_status(), 200);
  EXPECT_FALSE(status.MayPass());
}

TEST(HttpStatusMapping, WhatMayPassFollowsTheCode) {
  Request request;
  request.method = "POST";
  request.url = "http://bb:7990/rest/api/1.0/projects/INFRA/repos/api/webhooks";
  struct Case {
    Response response;
    bool may_pass;
  };
  const std::vector<Case> cases = {
      {Answer(400), false}, {Answer(401), false}, {Answer(403), false}, {Answer(404), false},
      {Answer(409), false}, {Answer(412), false}, {Answer(429), true},  {Answer(500), true},
      {Answer(501), true},  {Answer(502), true},  {Answer(503), true},  {Answer(504), true},
      {NoAnswer(false), true}, {NoAnswer(true), true},
  };
  for (const auto& c : cases)
    EXPECT_EQ(FailedCall(request, c.response, "any message").MayPass(), c.may_pass)
        << "HTTP " << c.response.status << " / " << c.response.transport_error;
}

}  // namespace
}  // namespace stashform::http
