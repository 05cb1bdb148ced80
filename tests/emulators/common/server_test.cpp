// A minimal emulator built from emulators/common alone, served over loopback: routes, the shared
// admin endpoints, faults before the handler, the request log. What a new emulator starts from.
#include "emulators/common/admin.h"
#include "tests/emulators/common/plain_errors.h"
#include "emulators/common/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>

namespace stashform::emulator {
namespace {

using testing::PlainErrors;
const PlainErrors kErrors;

/// EchoEmulator answers GET /echo/{word}; everything else is common.
class EchoEmulator {
 public:
  struct Call {
    const Request& request;
    std::map<std::string, std::string> params;
    EchoEmulator& emulator;
  };

  EchoEmulator() {
    api_.Add("GET", "/echo/{word}", [](Call& call) {
      return JsonResponse(200, boost::json::object{{"word", call.params.at("word")}});
    });
    AddFaultRoutes(admin_, [](Call& call) -> Faults& { return call.emulator.faults_; }, kErrors);
    AddRequestLogRoutes(admin_, [](Call& call) -> BoundedLog<LoggedRequest>& { return call.emulator.log_; },
                        LoggedRequestJson);
  }

  Outcome Handle(const Request& request) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto segments = DecodedSegments(request.path);
    bool admin = !segments.empty() && segments[0] == "_emulator";
    if (admin) return Outcome{Route(admin_, request, segments)};
    FaultDecision fault = faults_.Decide(request.method, request.path, "");
    Outcome outcome{fault.error ? kErrors.Injected(*fault.error) : Route(api_, request, segments), fault.drop, fault.delay};
    log_.Append(LoggedRequest{0, request.method, request.target, fault.drop ? 0 : outcome.response.status, 0, "", fault.drop}, 100);
    return outcome;
  }

 private:
  Response Route(const BasicRouter<Call>& router, const Request& request, const std::vector<std::string>& segments) {
    auto match = router.Find(request.method, segments);
    if (!match) return kErrors.NotFound(request);
    if (!match->handler) return kErrors.MethodNotAllowed(request);
    Call call{request, match->params, *this};
    return (*match->handler)(call);
  }

  std::mutex mutex_;
  BasicRouter<Call> api_, admin_;
  Faults faults_;
  BoundedLog<LoggedRequest> log_;
};

class EmulatorCommonServer : public ::testing::Test {
 protected:
  EmulatorCommonServer()
      : server_("127.0.0.1", 0, 2, [this](const Request& request) { return emulator_.Handle(request); }),
        client_("127.0.0.1", server_.port()) {
    server_.Start();
    client_.set_read_timeout(5, 0);
  }

  EchoEmulator emulator_;
  HttpServer server_;
  httplib::Client client_;
};

TEST_F(EmulatorCommonServer, RoutesAnswer404And405) {
  auto echo = client_.Get("/echo/hello%20there");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->status, 200);
  EXPECT_EQ(echo->body, R"({"word":"hello there"})");
  EXPECT_EQ(echo->get_header_value("Content-Type"), "application/json;charset=UTF-8");
  EXPECT_EQ(client_.Get("/nowhere")->status, 404);
  EXPECT_EQ(client_.Delete("/echo/x")->status, 405);
}

TEST_F(EmulatorCommonServer, SharedAdminEndpointsDriveFaultsAndTheLog) {
  auto put = client_.Put("/_emulator/faults", R"({"failNth":[{"path":"/echo/b","n":1,"status":503}]})",
                         "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 200);
  EXPECT_EQ(client_.Put("/_emulator/faults", "{", "application/json")->status, 400);
  EXPECT_EQ(client_.Get("/echo/a")->status, 200);
  EXPECT_EQ(client_.Get("/echo/b")->status, 503);
  EXPECT_EQ(client_.Get("/echo/b")->status, 200) << "a fail-Nth rule fires once";
  auto faults = boost::json::parse(client_.Get("/_emulator/faults")->body);
  EXPECT_EQ(faults.at("failNth").at(0).at("fired"), true);

  auto log = boost::json::parse(client_.Get("/_emulator/requests?since=1")->body).at("requests").as_array();
  ASSERT_EQ(log.size(), 2u) << "admin calls are not logged; since=1 leaves out the first";
  EXPECT_EQ(log[0].at("path"), "/echo/b");
  EXPECT_EQ(log[0].at("status"), 503);
  EXPECT_EQ(client_.Delete("/_emulator/requests")->status, 204);
  EXPECT_TRUE(boost::json::parse(client_.Get("/_emulator/requests")->body).at("requests").as_array().empty());
  EXPECT_EQ(client_.Delete("/_emulator/faults")->status, 204);
}

TEST_F(EmulatorCommonServer, ADroppedConnectionGetsNoAnswerAndIsLoggedAsZero) {
  ASSERT_EQ(client_.Put("/_emulator/faults", R"({"dropRate":1.0})", "application/json")->status, 200);
  EXPECT_FALSE(client_.Get("/echo/a")) << "the connection closes unanswered";
  auto log = boost::json::parse(client_.Get("/_emulator/requests")->body).at("requests").as_array();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].at("status"), 0);
}

TEST_F(EmulatorCommonServer, LatencyDelaysTheAnswer) {
  ASSERT_EQ(client_.Put("/_emulator/faults", R"({"latencyMs":150})", "application/json")->status, 200);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(client_.Get("/echo/a")->status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(150));
}

}  // namespace
}  // namespace stashform::emulator
