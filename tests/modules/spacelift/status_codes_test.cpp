// The Spacelift adapter is the one place that gives a GraphQL or HTTP failure its code; the
// integration and stack types decide "gone" from that code, never from the words of the failure.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>
#include <vector>

#include "tests/support/fake_http_client.h"
#include "modules/spacelift/api.h"
#include "modules/spacelift/integration.h"
#include "modules/spacelift/stack.h"
#include "tests/modules/spacelift/fake_spacelift.h"

namespace stashform::spacelift {
namespace {

namespace json = boost::json;
using http::FakeHttpClient;
using provider::ApplyAction;
using testing::FakeSpacelift;

const Operation kStackRead{false, "StackRead", "stack", "query($id:ID!){stack(id: $id){id}}"};
const Operation kStackDelete{true, "StackDelete", "stackDelete", "mutation($id:ID!){stackDelete(id: $id){id}}"};

class SpaceliftStatusCodes : public ::testing::Test {
 protected:
  SpaceliftStatusCodes()
      : spacelift(http), api({"http://spl.test", "key", "key-secret-xyz"}, http), integrations(api), stacks(api) {}
  void Answer(const std::string& root_field, long status, const std::string& body) {
    spacelift.On(root_field, [status, body](const json::object&) { return FakeHttpClient::Reply(status, body); });
  }
  FakeHttpClient http;
  FakeSpacelift spacelift;
  SpaceliftApi api;
  IntegrationType integrations;
  StackType stacks;
};

struct Case {
  const char* name;
  long http_status;
  const char* body;
  StatusCode code;
};

// Mutations swallow nothing, so each case shows the code the adapter gives the failure.
TEST_F(SpaceliftStatusCodes, TheAdapterGivesEachFailureOneCode) {
  const std::vector<Case> cases = {
      {"a GraphQL error that says not found", 200, R"({"data":null,"errors":[{"message":"stack not found"}]})",
       StatusCode::kNotFound},
      {"a GraphQL error coded NOT_FOUND in other words", 200,
       R"({"data":null,"errors":[{"message":"no such thing","extensions":{"code":"NOT_FOUND"}}]})",
       StatusCode::kNotFound},
      {"another GraphQL error", 200, R"({"data":null,"errors":[{"message":"boom"}]})", StatusCode::kInternal},
      {"an HTTP 400 whose words say not found", 400, R"({"errors":[{"message":"stack not found"}]})",
       StatusCode::kInvalidArgument},
      {"an HTTP 404: the endpoint is missing, not the stack", 404, R"({"errors":[{"message":"stack not found"}]})",
       StatusCode::kInternal},
      {"an HTTP 403", 403, R"({"errors":[{"message":"unauthorized"}]})", StatusCode::kPermissionDenied},
      {"an HTTP 429", 429, "", StatusCode::kRateLimited},
      {"an HTTP 503", 503, R"({"errors":[{"message":"not found any capacity"}]})", StatusCode::kUnavailable},
      {"an HTTP 500", 500, "", StatusCode::kInternal},
  };
  for (const auto& c : cases) {
    Answer("stackDelete", c.http_status, c.body);
    auto answer = api.Call(kStackDelete, {{"id", "tf-network"}});
    ASSERT_FALSE(answer.ok()) << c.name;
    EXPECT_EQ(answer.code(), c.code) << c.name << ": " << CodeName(answer.code()) << " — " << answer.message();
    EXPECT_EQ(answer.status().http_status(), c.http_status) << c.name;
    EXPECT_EQ(answer.status().call(), "POST /graphql") << c.name;
  }
}

TEST_F(SpaceliftStatusCodes, AQueryForAMissingObjectIsNullAndAnHttp400SayingNotFoundIsAnError) {
  Answer("stack", 200, R"({"data":{"stack":null},"errors":[{"message":"x","extensions":{"code":"NOT_FOUND"}}]})");
  auto missing = api.Call(kStackRead, {{"id", "x"}});
  ASSERT_TRUE(missing.ok()) << missing.message();
  EXPECT_TRUE(missing->is_null());

  Answer("stack", 400, R"({"errors":[{"message":"stack not found"}]})");
  auto refused = api.Call(kStackRead, {{"id", "x"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.message(), "spacelift StackRead: POST http://api.spl.test/graphql: HTTP 400: stack not found");
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
}

TEST_F(SpaceliftStatusCodes, ALoginFailureKeepsItsCodeThroughTheCall) {
  FakeHttpClient refusing;
  refusing.On("POST", testing::kLoginUrl, FakeHttpClient::Reply(401, R"({"errors":[{"message":"bad key"}]})"));
  SpaceliftApi locked_out({"http://spl.test", "key", "key-secret-xyz"}, refusing);
  auto answer = locked_out.Call(kStackRead, {{"id", "x"}});
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(answer.message().rfind("spacelift StackRead: spacelift login: ", 0), 0u) << answer.message();
  EXPECT_EQ(answer.message().find("key-secret-xyz"), std::string::npos);
}

TEST_F(SpaceliftStatusCodes, DeletingAnIntegrationThatIsNotFoundSucceedsWhateverTheWords) {
  Answer("bitbucketDatacenterIntegrationDelete", 200,
         R"({"data":null,"errors":[{"message":"gone fishing","extensions":{"code":"NOT_FOUND"}}]})");
  auto response = integrations.Apply({ApplyAction::kDelete, "bbdc-main", {}, {}});
  EXPECT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  EXPECT_EQ(response.id, "bbdc-main");
}

TEST_F(SpaceliftStatusCodes, AnIntegrationDeleteRefusedWithNotFoundInItsWordsIsAnError) {
  for (long status : {400L, 404L, 502L}) {
    Answer("bitbucketDatacenterIntegrationDelete", status,
           R"({"errors":[{"message":"bitbucket datacenter integration not found"}]})");
    auto response = integrations.Apply({ApplyAction::kDelete, "bbdc-main", {}, {}});
    EXPECT_TRUE(response.diagnostics.HasErrors()) << "HTTP " << status;
  }
}

TEST_F(SpaceliftStatusCodes, DeletingAStackThatIsNotFoundSucceedsAndAnHttp400SayingSoIsAnError) {
  Answer("stackDelete", 200, R"({"data":null,"errors":[{"message":"stack \"tf-network\" not found"}]})");
  auto gone = stacks.Apply({ApplyAction::kDelete, "tf-network", {}, {}});
  EXPECT_FALSE(gone.diagnostics.HasErrors()) << gone.diagnostics.ToString();

  Answer("stackDelete", 400, R"({"errors":[{"message":"stack \"tf-network\" not found"}]})");
  auto refused = stacks.Apply({ApplyAction::kDelete, "tf-network", {}, {}});
  ASSERT_TRUE(refused.diagnostics.HasErrors());
  EXPECT_NE(refused.diagnostics.ToString().find("HTTP 400"), std::string::npos) << refused.diagnostics.ToString();
}

}  // namespace
}  // namespace stashform::spacelift
