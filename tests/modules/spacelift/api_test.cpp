// SpaceliftApi against a scripted server: login, the JWT's audience, caching, refresh, errors.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/support/fake_http_client.h"
#include "modules/spacelift/api.h"
#include "tests/modules/spacelift/fake_spacelift.h"

namespace stashform::spacelift {
namespace {

namespace json = boost::json;
using http::FakeHttpClient;
using testing::FakeSpacelift;
using testing::kApiBase;
using testing::kLoginUrl;

const Operation kStackRead{false, "StackRead", "stack", "query($id:ID!){stack(id: $id){id}}"};
const Operation kStackUpdate{true, "StackUpdate", "stackUpdate", "mutation($id:ID!){stackUpdate(id: $id){id}}"};

std::optional<std::string> HeaderOf(const http::Request& request, const std::string& name) {
  for (const auto& [key, value] : request.headers)
    if (key == name) return value;
  return std::nullopt;
}

class SpaceliftApiTest : public ::testing::Test {
 protected:
  SpaceliftApiTest() : spacelift(http), api({"http://spl.test/", "key-id", "key-secret-xyz"}, http, [this] { return now; }) {
    spacelift.OnData("stack", json::object{{"id", "tf-network"}});
  }
  FakeHttpClient http;
  FakeSpacelift spacelift;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::time_point(std::chrono::seconds(4102444800 - 3600));
  SpaceliftApi api;
};

TEST_F(SpaceliftApiTest, LogsInBareThenCallsTheJwtsAudienceWithBearerAndOperationHeader) {
  auto answer = api.Call(kStackRead, {{"id", "tf-network"}});
  ASSERT_TRUE(answer.ok()) << answer.message();
  EXPECT_EQ(json::serialize(*answer), R"({"id":"tf-network"})");
  auto requests = http.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].url, kLoginUrl) << "one trailing / of api_url is dropped";
  EXPECT_FALSE(HeaderOf(requests[0], "Authorization")) << "the login request carries no credentials header";
  EXPECT_EQ(json::parse(requests[0].body),
            json::parse(R"({"query":"mutation($id:ID!$secret:String!){apiKeyUser(id: $id, secret: $secret){jwt}}",
                            "variables":{"id":"key-id","secret":"key-secret-xyz"}})"));
  EXPECT_EQ(requests[1].url, kApiBase + "/graphql");
  EXPECT_EQ(HeaderOf(requests[1], "Authorization").value_or("").rfind("Bearer ey", 0), 0u);
  EXPECT_EQ(HeaderOf(requests[1], "Spacelift-GraphQL-Query"), "StackRead");
  EXPECT_EQ(HeaderOf(requests[1], "Content-Type"), "application/json");
}

TEST_F(SpaceliftApiTest, MutationsNameThemselvesInTheirOwnHeader) {
  spacelift.OnData("stackUpdate", json::object{{"id", "tf-network"}});
  ASSERT_TRUE(api.Call(kStackUpdate, {{"id", "tf-network"}}).ok());
  EXPECT_EQ(HeaderOf(http.requests().back(), "Spacelift-GraphQL-Mutation"), "StackUpdate");
  EXPECT_FALSE(HeaderOf(http.requests().back(), "Spacelift-GraphQL-Query"));
}

TEST_F(SpaceliftApiTest, TheJwtIsCachedUntilItIsAboutToExpire) {
  ASSERT_TRUE(api.Call(kStackRead, {{"id", "a"}}).ok());
  ASSERT_TRUE(api.Call(kStackRead, {{"id", "b"}}).ok());
  EXPECT_EQ(spacelift.logins(), 1);
  now += std::chrono::seconds(3600 - 30);  // within a minute of exp
  ASSERT_TRUE(api.Call(kStackRead, {{"id", "c"}}).ok());
  EXPECT_EQ(spacelift.logins(), 2);
}

TEST_F(SpaceliftApiTest, A401LogsInAgainOnceAndRetries) {
  ASSERT_TRUE(api.Call(kStackRead, {{"id", "a"}}).ok());
  spacelift.set_reject_next_call(true);
  auto answer = api.Call(kStackRead, {{"id", "a"}});
  ASSERT_TRUE(answer.ok()) << answer.message();
  EXPECT_EQ(spacelift.logins(), 2);
}

TEST_F(SpaceliftApiTest, QueryNotFoundIsNullEitherWay) {
  spacelift.OnData("stack", nullptr);
  auto null_form = api.Call(kStackRead, {{"id", "x"}});
  ASSERT_TRUE(null_form.ok());
  EXPECT_TRUE(null_form->is_null());
  spacelift.On("stack", [](const json::object&) {
    return FakeHttpClient::Reply(200, R"({"data":{"stack":null},"errors":[{"message":"stack not found","path":["stack"]}]})");
  });
  auto error_form = api.Call(kStackRead, {{"id", "x"}});
  ASSERT_TRUE(error_form.ok()) << error_form.message();
  EXPECT_TRUE(error_form->is_null());
}

struct ErrorCase {
  const char* name;
  bool mutation;
  long status;
  const char* body;
  const char* expected;
};

class SpaceliftApiErrors : public SpaceliftApiTest, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(SpaceliftApiErrors, NameTheOperationAndCarryTheServersWords) {
  const ErrorCase& c = GetParam();
  spacelift.On(c.mutation ? "stackUpdate" : "stack",
               [&c](const json::object&) { return FakeHttpClient::Reply(c.status, c.body); });
  auto answer = api.Call(c.mutation ? kStackUpdate : kStackRead, {{"id", "x"}});
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.message(), c.expected);
  EXPECT_EQ(answer.message().find("key-secret-xyz"), std::string::npos);
}

const ErrorCase kErrorCases[] = {
    {"GraphQLErrorsAreJoined", true, 200,
     R"({"data":null,"errors":[{"message":"vcs integration \"x\" not found"},{"message":"second"}]})",
     "spacelift StackUpdate: vcs integration \"x\" not found, second"},
    {"MutationsSwallowNothing", true, 200, R"({"data":{"stackUpdate":null},"errors":[{"message":"stack not found"}]})",
     "spacelift StackUpdate: stack not found"},
    {"QueryErrors", false, 200, R"({"data":null,"errors":[{"message":"boom"}]})", "spacelift StackRead: boom"},
    {"HttpStatus", false, 503, R"({"errors":[{"message":"injected fault 503"}]})",
     "spacelift StackRead: POST http://api.spl.test/graphql: HTTP 503: injected fault 503"},
    {"NoData", false, 200, R"({"data":{}})", "spacelift StackRead: the answer has no data.stack"},
};

INSTANTIATE_TEST_SUITE_P(All, SpaceliftApiErrors, ::testing::ValuesIn(kErrorCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(SpaceliftLogin, AnUnknownKeyIdSaysSo) {
  FakeHttpClient http;
  http.On("POST", kLoginUrl, FakeHttpClient::Reply(200, R"({"data":{"apiKeyUser":null}})"));
  SpaceliftApi api({"http://spl.test", "nope", "secret-value"}, http);
  EXPECT_EQ(api.Login().message(), "spacelift login: no such API user, api_key_id \"nope\" may be incorrect");
}

TEST(SpaceliftLogin, ALoginErrorCarriesTheMessageButNeverTheSecret) {
  FakeHttpClient http;
  http.On("POST", kLoginUrl, FakeHttpClient::Reply(200, R"({"data":{"apiKeyUser":null},"errors":[{"message":"unauthorized: invalid API key secret"}]})"));
  SpaceliftApi api({"http://spl.test", "key", "secret-value"}, http);
  std::string message = api.Login().message();
  EXPECT_EQ(message, "spacelift login: could not get API user data: unauthorized: invalid API key secret");
  EXPECT_EQ(message.find("secret-value"), std::string::npos);
}

TEST(SpaceliftLogin, ATokenWithoutOneAudienceIsRefused) {
  FakeHttpClient http;
  std::string jwt = testing::MakeJwt({{"aud", json::array{"a", "b"}}});
  http.On("POST", kLoginUrl, FakeHttpClient::Reply(200, R"({"data":{"apiKeyUser":{"jwt":")" + jwt + R"("}}})"));
  SpaceliftApi api({"http://spl.test", "key", "s"}, http);
  EXPECT_EQ(api.Login().message(), "spacelift login: the token does not name exactly one audience (aud)");
}

TEST(SpaceliftLogin, AnUnreachableServerNamesTheUrl) {
  FakeHttpClient http;
  http.SetHandler([](const http::Request&) {
    http::Response response;
    response.transport_error = "Connection refused";
    return response;
  });
  SpaceliftApi api({"http://spl.test", "key", "s"}, http);
  EXPECT_EQ(api.Login().message(), "spacelift login: POST http://spl.test/graphql: Connection refused");
}

TEST(Slugify, LowerCaseWithSingleDashes) {
  EXPECT_EQ(Slugify("BBDC Main"), "bbdc-main");
  EXPECT_EQ(Slugify("  corp -- DC_2 "), "corp-dc-2");
}

}  // namespace
}  // namespace stashform::spacelift
