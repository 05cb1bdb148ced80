// Webhook delivery: /webhooks/test and the admin fire-event paths send real, signed POSTs.
#include "tests/emulators/bitbucket/harness.h"

#include "emulators/bitbucket/encoding.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <mutex>
#include <regex>
#include <thread>

namespace stashform::emulator::testing {
namespace {

/// Receiver is a loopback HTTP endpoint that records what it is sent.
class Receiver {
 public:
  Receiver() {
    server_.Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard<std::mutex> lock(mutex_);
      received_.push_back(request);
      response.status = 204;
    });
    server_.Post("/broken", [](const httplib::Request&, httplib::Response& response) { response.status = 500; });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the loop runs would be lost and join() would hang; wait (bounded) for it.
    for (int i = 0; i < 500 && !server_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path = "/hook") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::vector<httplib::Request> Received() {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<httplib::Request> received_;
};

std::string IndependentHmac(const std::string& key, const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(body.data()),
       body.size(), digest, &length);
  char hex[3];
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", digest[i]);
    out += hex;
  }
  return out;
}

const std::string kRepoHooks = "/rest/api/1.0/projects/INFRA/repos/tf-network/webhooks";

std::int64_t CreateHook(Harness& emulator, const std::string& body) {
  auto result = emulator.Send("POST", kRepoHooks, body);
  EXPECT_EQ(result->status, 201) << result->body;
  return Json(result).at("id").as_int64();
}

TEST(BitbucketDelivery, HmacMatchesTheRfc4231Vector) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(BitbucketDelivery, FiredEventIsASignedPostWithTheBitbucketHeaders) {
  Receiver receiver;
  Harness emulator;
  CreateHook(emulator, R"({"name":"ci","url":")" + receiver.Url() +
                           R"(","events":["repo:refs_changed"],"configuration":{"secret":"Gkvl$k$wyNpQAF42"},
                           "credentials":{"username":"hook","password":"pw"}})");
  CreateHook(emulator, R"({"name":"other","url":")" + receiver.Url() + R"(","events":["pr:merged"]})");
  auto fired = emulator.Send("POST", "/_emulator/events",
                             R"({"event":"repo:refs_changed","projectKey":"INFRA","repositorySlug":"tf-network"})", "");
  ASSERT_EQ(fired->status, 200) << fired->body;
  ASSERT_EQ(Json(fired).at("deliveries").as_array().size(), 1u) << "only the subscribed webhook fires";
  auto received = receiver.Received();
  ASSERT_EQ(received.size(), 1u);
  const auto& request = received[0];
  EXPECT_EQ(request.get_header_value("X-Event-Key"), "repo:refs_changed");
  EXPECT_TRUE(std::regex_match(request.get_header_value("X-Request-Id"),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  EXPECT_EQ(request.get_header_value("X-Hub-Signature"), "sha256=" + IndependentHmac("Gkvl$k$wyNpQAF42", request.body));
  EXPECT_EQ(request.get_header_value("Authorization"), "Basic " + Base64Encode("hook:pw"));
  auto payload = boost::json::parse(request.body);
  EXPECT_EQ(payload.at("eventKey").as_string(), "repo:refs_changed");
  EXPECT_EQ(payload.at("repository").at("slug").as_string(), "tf-network");
  EXPECT_TRUE(std::regex_match(std::string(payload.at("date").as_string()),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000)")));
}

TEST(BitbucketDelivery, UnsignedWhenNoSecretAndInactiveWebhooksDoNotFire) {
  Receiver receiver;
  Harness emulator;
  CreateHook(emulator, R"({"name":"a","url":")" + receiver.Url() + R"(","events":["pr:opened"]})");
  CreateHook(emulator, R"({"name":"b","url":")" + receiver.Url() + R"(","events":["pr:opened"],"active":false})");
  emulator.Send("POST", "/_emulator/events", R"({"event":"pr:opened","projectKey":"INFRA","repositorySlug":"tf-network"})", "");
  auto received = receiver.Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_FALSE(received[0].has_header("X-Hub-Signature"));
  EXPECT_FALSE(received[0].has_header("Authorization"));
}

TEST(BitbucketDelivery, ProjectWebhooksReceiveTheirRepositoriesEvents) {
  Receiver receiver;
  Harness emulator;
  emulator.Send("POST", "/rest/api/1.0/projects/INFRA/webhooks",
                R"({"name":"p","url":")" + receiver.Url() + R"(","events":["repo:refs_changed"]})");
  emulator.Send("POST", "/_emulator/events", R"({"event":"repo:refs_changed","projectKey":"INFRA","repositorySlug":"tf-dns"})", "");
  EXPECT_EQ(receiver.Received().size(), 1u);
}

TEST(BitbucketDelivery, TestEndpointSendsAPingAndReportsTheAnswer) {
  Receiver receiver;
  Harness emulator;
  auto id = CreateHook(emulator, R"({"name":"ci","url":")" + receiver.Url() + R"(","configuration":{"secret":"k"}})");
  auto result = emulator.Send("POST", kRepoHooks + "/test?webhookId=" + std::to_string(id));
  ASSERT_EQ(result->status, 200) << result->body;
  EXPECT_EQ(Json(result).at("result").at("statusCode").as_int64(), 204);
  auto received = receiver.Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].get_header_value("X-Event-Key"), "diagnostics:ping");
  EXPECT_EQ(boost::json::parse(received[0].body), boost::json::parse(R"({"test":true})"));
  EXPECT_EQ(received[0].get_header_value("X-Hub-Signature"), "sha256=" + IndependentHmac("k", received[0].body));
  auto by_url = emulator.Send("POST", kRepoHooks + "/test?url=" + receiver.Url());
  EXPECT_EQ(Json(by_url).at("result").at("outcome").as_string(), "SUCCESS");
  EXPECT_EQ(emulator.Send("POST", kRepoHooks + "/test")->status, 400);
  EXPECT_EQ(emulator.Send("POST", kRepoHooks + "/test?webhookId=999")->status, 404);
  EXPECT_EQ(emulator.Send("POST", kRepoHooks + "/test?url=" + receiver.Url(), "", BasicAuth("reader", "reader-pw"))->status,
            401);
}

TEST(BitbucketDelivery, FailuresAreRecordedAndCounted) {
  Receiver receiver;
  Harness emulator;
  auto id = CreateHook(emulator, R"({"name":"ci","url":")" + receiver.Url("/broken") + R"(","events":["pr:merged"]})");
  auto fired = Json(emulator.Send("POST", "/_emulator/webhooks/" + std::to_string(id) + "/fire", "", ""));
  EXPECT_EQ(fired.at("deliveries").at(0).at("outcome").as_string(), "FAILURE");
  EXPECT_EQ(fired.at("deliveries").at(0).at("statusCode").as_int64(), 500);
  auto hook = Json(emulator.Send("GET", kRepoHooks + "/" + std::to_string(id) + "?statistics=true"));
  EXPECT_EQ(hook.at("statistics").at("counts").at("failure").as_int64(), 1);
  EXPECT_EQ(Json(emulator.Send("GET", "/_emulator/deliveries", "", "")).at("deliveries").as_array().size(), 1u);
}

TEST(BitbucketDelivery, LatestInvocationAnswers204UntilADeliveryHappened) {
  Receiver receiver;
  Harness emulator;
  auto id = CreateHook(emulator, R"({"name":"ci","url":")" + receiver.Url() + R"(","events":["pr:merged"]})");
  std::string hook = kRepoHooks + "/" + std::to_string(id);
  EXPECT_EQ(emulator.Send("GET", hook + "/latest")->status, 204);
  emulator.Send("POST", "/_emulator/webhooks/" + std::to_string(id) + "/fire", R"({"event":"pr:merged"})", "");
  auto latest = emulator.Send("GET", hook + "/latest");
  ASSERT_EQ(latest->status, 200);
  EXPECT_EQ(Json(latest).at("event").as_string(), "pr:merged");
  EXPECT_EQ(Json(latest).at("eventScope").at("type").as_string(), "repository");
  EXPECT_EQ(emulator.Send("GET", hook + "/latest?outcome=FAILURE")->status, 204);
  EXPECT_EQ(emulator.Send("GET", hook + "/latest?outcome=MAYBE")->status, 400);
  auto summary = Json(emulator.Send("GET", hook + "/statistics/summary"));
  EXPECT_EQ(summary.at("counts").at("success").as_int64(), 1);
}

TEST(BitbucketDelivery, UnreachableReceiverIsAnErrorOutcomeNotAHang) {
  Harness emulator;
  int closed_port = 0;
  {
    Receiver gone;
    closed_port = std::stoi(gone.Url().substr(gone.Url().rfind(':') + 1));
  }
  auto id = CreateHook(emulator, R"({"name":"x","url":"http://127.0.0.1:)" + std::to_string(closed_port) +
                                     R"(/hook","events":["pr:merged"]})");
  auto fired = Json(emulator.Send("POST", "/_emulator/webhooks/" + std::to_string(id) + "/fire", "", ""));
  EXPECT_EQ(fired.at("deliveries").at(0).at("outcome").as_string(), "ERROR");
}

}  // namespace
}  // namespace stashform::emulator::testing
