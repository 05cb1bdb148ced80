// JSON bodies and the error shape: a bad body is a clear 400 in the emulator's own envelope, and
// PUT /_emulator/faults changes nothing when it refuses.
#include "emulators/common/admin.h"
#include "tests/emulators/common/plain_errors.h"
#include "emulators/common/json_body.h"

#include <gtest/gtest.h>

namespace stashform::emulator {
namespace {

using testing::PlainErrors;

std::string Message(const Response& response) {
  return std::string(boost::json::parse(response.body).at("error").as_string());
}

TEST(EmulatorCommonJsonBody, AValidBodyIsTheValue) {
  auto parsed = ParseJsonBody(R"({"name":"x"})", PlainErrors());
  ASSERT_TRUE(std::holds_alternative<boost::json::value>(parsed));
  EXPECT_EQ(std::get<boost::json::value>(parsed).at("name").as_string(), "x");
}

TEST(EmulatorCommonJsonBody, AMalformedBodyIsA400SayingWhy) {
  for (const char* body : {"", "{", "{\"name\":}", "not json"}) {
    auto parsed = ParseJsonBody(body, PlainErrors());
    ASSERT_TRUE(std::holds_alternative<Response>(parsed)) << body;
    const Response& answer = std::get<Response>(parsed);
    EXPECT_EQ(answer.status, 400) << body;
    EXPECT_EQ(Message(answer).rfind("malformed JSON: ", 0), 0u) << Message(answer);
    EXPECT_GT(Message(answer).size(), std::string("malformed JSON: ").size()) << "the parser's reason follows";
  }
}

TEST(EmulatorCommonJsonBody, AnObjectIsRequiredWhereOneIsExpected) {
  auto parsed = ParseJsonObjectBody("[1,2]", PlainErrors());
  ASSERT_TRUE(std::holds_alternative<Response>(parsed));
  EXPECT_EQ(std::get<Response>(parsed).status, 400);
  EXPECT_EQ(Message(std::get<Response>(parsed)), "The request body must be a JSON object.");
  auto object = ParseJsonObjectBody(R"({"a":1})", PlainErrors());
  ASSERT_TRUE(std::holds_alternative<boost::json::object>(object));
  EXPECT_EQ(std::get<boost::json::object>(object).at("a").as_int64(), 1);
}

TEST(EmulatorCommonJsonBody, RefusedFaultConfigurationsChangeNothing) {
  FaultConfig config;
  config.latency_ms = 7;
  Faults faults(config);
  for (const char* body : {"{", "[1]", R"({"latencyMs":"slow"})"}) {
    Response answer = ReplaceFaults(faults, body, PlainErrors());
    EXPECT_EQ(answer.status, 400) << body;
    EXPECT_EQ(faults.config().latency_ms, 7) << body;
  }
  Response accepted = ReplaceFaults(faults, R"({"latencyMs":3})", PlainErrors());
  EXPECT_EQ(accepted.status, 200);
  EXPECT_EQ(boost::json::parse(accepted.body).at("latencyMs").as_int64(), 3);
  EXPECT_EQ(ClearFaults(faults).status, 204);
  EXPECT_EQ(faults.config().latency_ms, 0);
}

TEST(EmulatorCommonErrorShape, DefaultsAnswerInTheEmulatorsEnvelope) {
  Request request;
  request.method = "PUT";
  request.path = "/things/1";
  PlainErrors errors;
  EXPECT_EQ(errors.NotFound(request).status, 404);
  EXPECT_EQ(Message(errors.NotFound(request)), "no route PUT /things/1");
  EXPECT_EQ(errors.MethodNotAllowed(request).status, 405);
  Response limited = errors.Injected(InjectedError{429, "slow down", true, 3});
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(Message(limited), "slow down");
  ASSERT_EQ(limited.headers.size(), 2u);
  EXPECT_EQ(limited.headers[1], (std::pair<std::string, std::string>{"Retry-After", "3"}));
}

}  // namespace
}  // namespace stashform::emulator
