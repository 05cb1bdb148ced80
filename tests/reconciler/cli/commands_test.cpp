// The CLI commands, run in-process with fakes: a Lua config in a temp folder, a scripted Bitbucket
// behind FakeHttpClient, the state in memory. Each test is a user story; it asserts on the
// requests sent, what was printed and the state left behind.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "reconciler/cli/commands.h"
#include "state/lock_info.h"
#include "tests/support/fake_backends.h"

namespace stashform::cli {
namespace {

namespace json = boost::json;
using http::FakeHttpClient;

const std::string kBase = "http://bb.test/bitbucket";
const std::string kHooks = kBase + "/rest/api/1.0/projects/INFRA/repos/api/webhooks";
const std::string kProperties = kBase + "/rest/api/1.0/application-properties";
const char* const kSecret = "unit-webhook-secret-93c1";
const char* const kPassword = "unit-password-51ab";

const char* const kOneWebhook = R"(local bb = bitbucket.server "corp" {
  url      = env "BITBUCKET_URL",
  username = "admin",
  password = env "BITBUCKET_PASSWORD",
}

bitbucket.webhook "INFRA/api" {
  server = bb, project = "INFRA", repository = "api",
  name = "ci", url = "https://ci.example.com/hook",
  events = { "repo:refs_changed" },
  secret = env "WEBHOOK_SECRET",
}
)";

/// A folder of its own under $TMPDIR, removed at the end.
class TempFolder {
 public:
  TempFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "stashform-cli-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempFolder() { std::filesystem::remove_all(path_); }
  void Write(const std::string& name, const std::string& text) const { std::ofstream(path_ + "/" + name) << text; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// ScriptedBitbucket answers the webhook REST calls of one repository (INFRA/api) from memory.
class ScriptedBitbucket {
 public:
  http::Response Answer(const http::Request& request) {
    if (request.method == "GET" && request.url == kProperties)
      return FakeHttpClient::Reply(200, R"({"version":"8.19.0"})", {{"X-AUSERNAME", "admin"}});
    if (request.method == "GET" && request.url.rfind(kHooks + "?", 0) == 0) return Listing();
    if (request.method == "POST" && request.url == kHooks) return Create(json::parse(request.body).as_object());
    if (request.method == "DELETE" && request.url.rfind(kHooks + "/", 0) == 0) {
      hooks.erase(std::stoi(request.url.substr(kHooks.size() + 1)));
      return FakeHttpClient::Reply(204);
    }
    return FakeHttpClient::Reply(404, R"({"errors":[{"message":"not scripted"}]})");
  }

  http::Response Create(json::object hook) {
    hook["id"] = next_id;
    hooks[next_id++] = hook;
    return FakeHttpClient::Reply(201, json::serialize(hook));
  }

  http::Response Listing() const {
    json::array values;
    for (const auto& [id, hook] : hooks) values.push_back(hook);
    return FakeHttpClient::Reply(200, json::serialize(json::object{{"size", values.size()}, {"limit", 1000},
                                                                   {"isLastPage", true}, {"start", 0},
                                                                   {"values", values}}));
  }

  std::map<int, json::object> hooks;
  int next_id = 7;
};

/// What one command did: its exit code and what it printed.
struct Ran {
  int code = -1;
  std::string out;
  std::string err;
};

class CliCommandsTest : public ::testing::Test {
 protected:
  CliCommandsTest() {
    config.Write("main.lua", kOneWebhook);
    fakes.env.Set("BITBUCKET_URL", kBase);
    fakes.env.Set("BITBUCKET_PASSWORD", kPassword);
    fakes.env.Set("WEBHOOK_SECRET", kSecret);
    fakes.http.SetHandler([this](const http::Request& request) { return bitbucket.Answer(request); });
  }

  /// `stashform ARGS...`; what is `typed` comes from a terminal.
  Ran Run(std::vector<std::string> args, const std::string& typed = "") {
    RecordedTerminal terminal;
    terminal.Type(typed);
    terminal.in_is_terminal = !typed.empty();
    terminal.out_is_terminal = out_is_terminal;
    terminal.err_is_terminal = err_is_terminal;
    Io io = terminal.MakeIo(fakes.backends());
    Ran ran;
    ran.code = Main(args, io);
    ran.out = terminal.out.str();
    ran.err = terminal.err.str();
    transcript += ran.out + ran.err;
    return ran;
  }

  std::string StatePath() const { return config.path() + "/stashform.state.json"; }
  std::optional<state::State> Stored() { return fakes.stores.StateAt(StatePath()); }
  int Sent(const std::string& method) const {
    int count = 0;
    for (const auto& request : fakes.http.requests()) count += request.method == method;
    return count;
  }

  TempFolder config;
  FakeBackends fakes;
  ScriptedBitbucket bitbucket;
  bool out_is_terminal = false;
  bool err_is_terminal = false;
  std::string transcript;  // everything printed, searched for secrets
};

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_F(CliCommandsTest, GivenANewWebhookPlanShowsOneToAddAndChangesNothing) {
  Ran plan = Run({"plan", config.path()});
  ASSERT_EQ(plan.code, 0) << plan.err;
  EXPECT_TRUE(Has(plan.out, "Plan: 1 to add, 0 to change, 0 to destroy.")) << plan.out;
  EXPECT_EQ(Sent("POST") + Sent("PUT") + Sent("DELETE"), 0) << "a plan never writes remotely";
  EXPECT_FALSE(Stored()) << "a plan of a first run writes no state";
  EXPECT_FALSE(fakes.stores.At(StatePath())->lock) << "the lock is released when the plan ends";
  EXPECT_EQ(fakes.clients_made().size(), 1u) << "one client for the one server block";
}

TEST_F(CliCommandsTest, GivenPendingChangesPlanDetailedExitcodeExitsTwo) {
  EXPECT_EQ(Run({"plan", "-detailed-exitcode", config.path()}).code, 2);
}

TEST_F(CliCommandsTest, GivenAutoApproveApplyCreatesTheWebhookAndRecordsItsIdInTheState) {
  Ran apply = Run({"apply", "-auto-approve", config.path()});
  ASSERT_EQ(apply.code, 0) << apply.err;
  EXPECT_TRUE(Has(apply.out, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.")) << apply.out;

  ASSERT_EQ(fakes.http.CountOf("POST", kHooks), 1);
  ASSERT_EQ(bitbucket.hooks.size(), 1u);
  const json::object& sent = bitbucket.hooks.at(7);
  EXPECT_EQ(sent.at("name"), "ci");
  EXPECT_EQ(sent.at("url"), "https://ci.example.com/hook");
  EXPECT_EQ(sent.at("configuration").at("secret"), kSecret) << "the secret goes to the server";

  auto stored = Stored();
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->resources.size(), 1u);
  EXPECT_EQ(stored->resources[0].address.ToString(), "bitbucket.webhook[\"INFRA/api\"]");
  EXPECT_EQ(stored->resources[0].id, "7");
  EXPECT_FALSE(Has(transcript, kSecret)) << "the secret is never printed";
  EXPECT_FALSE(Has(transcript, kPassword));
}

TEST_F(CliCommandsTest, GivenAnAppliedConfigAPlanFindsNothingToDo) {
  ASSERT_EQ(Run({"apply", "-auto-approve", config.path()}).code, 0);
  Ran plan = Run({"plan", "-detailed-exitcode", config.path()});
  EXPECT_EQ(plan.code, 0) << plan.out << plan.err;
  EXPECT_TRUE(Has(plan.out, "No changes.")) << plan.out;
  EXPECT_EQ(fakes.http.CountOf("POST", kHooks), 1) << "nothing more was created";
}

TEST_F(CliCommandsTest, GivenTheUserAnswersNoApplyCreatesNothing) {
  Ran apply = Run({"apply", config.path()}, "no\n");
  EXPECT_EQ(apply.code, 1);
  EXPECT_TRUE(Has(apply.err, "apply cancelled; only 'yes' approves")) << apply.err;
  EXPECT_EQ(Sent("POST"), 0);
  EXPECT_FALSE(Stored());
}

TEST_F(CliCommandsTest, GivenNoTerminalAndNoAutoApproveApplyRefusesBeforeAnyWrite) {
  Ran apply = Run({"apply", config.path()});
  EXPECT_EQ(apply.code, 1);
  EXPECT_TRUE(Has(apply.err, "standard input is not a terminal; pass -auto-approve")) << apply.err;
  EXPECT_EQ(Sent("POST"), 0);
}

TEST_F(CliCommandsTest, GivenInputFalseApplyNeverAsksEvenAtATerminalAndSaysTheWayOut) {
  Ran apply = Run({"apply", "-input=false", config.path()}, "yes\n");
  EXPECT_EQ(apply.code, 1);
  EXPECT_EQ(apply.err, "Error: apply needs confirmation, but -input=false (or TF_INPUT=0) forbids asking; pass "
                       "-auto-approve, or apply a reviewed plan with stashform apply PLANFILE\n");
  EXPECT_FALSE(Has(apply.out, "Enter a value")) << apply.out;
  EXPECT_EQ(Sent("POST"), 0);
  fakes.env.Set("TF_INPUT", "0");
  EXPECT_TRUE(Has(Run({"apply", config.path()}, "yes\n").err, "forbids asking"));
  EXPECT_EQ(Sent("POST"), 0);
}

TEST_F(CliCommandsTest, GivenInputFalseAndAutoApproveApplyCreatesTheWebhook) {
  Ran apply = Run({"apply", "-input=false", "-auto-approve", config.path()});
  ASSERT_EQ(apply.code, 0) << apply.err;
  EXPECT_EQ(fakes.http.CountOf("POST", kHooks), 1);
}

TEST_F(CliCommandsTest, GivenParallelismEveryServersClientKeepsThatManyRequestsInFlight) {
  for (const char* command : {"plan", "drift"}) {
    Run({command, "-parallelism=3", config.path()});
    ASSERT_FALSE(fakes.clients_made().empty()) << command;
    EXPECT_EQ(fakes.clients_made().back().max_concurrency_per_host, 3) << command;
  }
  ASSERT_EQ(Run({"apply", "-auto-approve", "-parallelism=2", config.path()}).code, 0);
  EXPECT_EQ(fakes.clients_made().back().max_concurrency_per_host, 2);
  Run({"plan", config.path()});
  EXPECT_EQ(fakes.clients_made().back().max_concurrency_per_host, 16) << "the default, as Terraform's";
}

TEST_F(CliCommandsTest, GivenAnAppliedWebhookConsoleAnswersFromStateAndConfigWithoutAnyRequest) {
  ASSERT_EQ(Run({"apply", "-auto-approve", config.path()}).code, 0);
  const size_t requests = fakes.http.requests().size();
  Ran ran = Run({"console", "-e", "bitbucket.webhook[\"INFRA/api\"].url", "-e", "bitbucket.webhook[\"INFRA/api\"].id",
                 "-e", "bitbucket.webhook[\"INFRA/api\"].secret", config.path()});
  EXPECT_EQ(ran.code, 0) << ran.err;
  EXPECT_EQ(ran.out, "\"https://ci.example.com/hook\"\n\"7\"\n(sensitive)\n");
  EXPECT_EQ(fakes.http.requests().size(), requests) << "console asks no server";
  EXPECT_FALSE(Has(transcript, kSecret));
}

TEST_F(CliCommandsTest, GivenStandardInputConsoleAnswersEachLineAndNamesWhatIsMistyped) {
  RecordedTerminal terminal;
  terminal.Type("bitbucket.webhook[\"INFRA/api\"].urll\n\nbitbucket.webhook[\"INFRA/apo\"]\nbitbucket.webhook[\"INFRA/api\"].name\nexit\nnot reached\n");
  Io io = terminal.MakeIo(fakes.backends());
  EXPECT_EQ(Main({"console", config.path()}, io), 1);
  EXPECT_EQ(terminal.out.str(), "\"ci\"\n");
  EXPECT_EQ(terminal.err.str(),
            "Error: bitbucket.webhook[\"INFRA/api\"] has no attribute \"urll\" (did you mean \"url\"?)\n"
            "Error: bitbucket.webhook[\"INFRA/apo\"] is neither in the config nor in the state (did you mean "
            "bitbucket.webhook[\"INFRA/api\"]?)\n");
  EXPECT_TRUE(fakes.http.requests().empty()) << "console asks no server";
  EXPECT_FALSE(Stored()) << "console writes no state";
}

TEST_F(CliCommandsTest, GivenTheUserAnswersYesApplyCreatesTheWebhook) {
  Ran apply = Run({"apply", config.path()}, "yes\n");
  EXPECT_EQ(apply.code, 0) << apply.err;
  EXPECT_TRUE(Has(apply.out, "Enter a value:")) << "the user was asked";
  EXPECT_EQ(fakes.http.CountOf("POST", kHooks), 1);
}

TEST_F(CliCommandsTest, GivenAnEventAddedOutsideStashformDriftReportsItAndExitsTwo) {
  ASSERT_EQ(Run({"apply", "-auto-approve", config.path()}).code, 0);
  bitbucket.hooks.at(7)["events"] = json::array{"repo:refs_changed", "pr:opened"};

  Ran drift = Run({"drift", config.path()});
  EXPECT_EQ(drift.code, 2) << drift.out << drift.err;
  EXPECT_TRUE(Has(drift.out, "pr:opened")) << drift.out;
  EXPECT_FALSE(fakes.stores.At(StatePath())->lock) << "drift released the lock it took";

  Ran refresh_only = Run({"plan", "-refresh-only", "-detailed-exitcode", config.path()});
  EXPECT_EQ(refresh_only.code, 2) << refresh_only.out << refresh_only.err;
  EXPECT_TRUE(Has(refresh_only.out, "refresh-only plan")) << refresh_only.out;
}

TEST_F(CliCommandsTest, GivenNoChangeOutsideStashformDriftSaysNoDrift) {
  ASSERT_EQ(Run({"apply", "-auto-approve", config.path()}).code, 0);
  Ran drift = Run({"drift", config.path()});
  EXPECT_EQ(drift.code, 0) << drift.out << drift.err;
  EXPECT_TRUE(Has(drift.out, "No drift.")) << drift.out;
}

TEST_F(CliCommandsTest, GivenAWebhookMadeByHandImportAdoptsItWithoutCreatingAnother) {
  bitbucket.Create(json::object{{"name", "ci"}, {"url", "https://ci.example.com/hook"},
                                {"events", json::array{"repo:refs_changed"}}, {"active", true}});
  Ran import = Run({"-chdir=" + config.path(), "import", "bitbucket.webhook[\"INFRA/api\"]", "INFRA/api/7"});
  ASSERT_EQ(import.code, 0) << import.err;
  auto stored = Stored();
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->resources.size(), 1u);
  EXPECT_EQ(stored->resources[0].id, "7");
  EXPECT_EQ(Sent("POST"), 0) << "import only reads";
}

TEST_F(CliCommandsTest, GivenAnAppliedStateListShowMvAndRmWorkOnTheRecordOnly) {
  ASSERT_EQ(Run({"apply", "-auto-approve", config.path()}).code, 0);
  const size_t requests_after_apply = fakes.http.requests().size();
  const std::string chdir = "-chdir=" + config.path();

  Ran list = Run({chdir, "state", "list"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_EQ(list.out, "bitbucket.webhook[\"INFRA/api\"]\n");

  Ran show = Run({chdir, "state", "show", "bitbucket.webhook[\"INFRA/api\"]"});
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_TRUE(Has(show.out, "https://ci.example.com/hook")) << show.out;
  EXPECT_FALSE(Has(show.out, kSecret)) << "state show masks the secret";

  Ran mv = Run({chdir, "state", "mv", "bitbucket.webhook[\"INFRA/api\"]", "bitbucket.webhook[\"INFRA/api-ci\"]"});
  ASSERT_EQ(mv.code, 0) << mv.err;
  EXPECT_EQ(Stored()->resources.at(0).address.ToString(), "bitbucket.webhook[\"INFRA/api-ci\"]");

  Ran rm = Run({chdir, "state", "rm", "bitbucket.webhook[\"INFRA/api-ci\"]"});
  ASSERT_EQ(rm.code, 0) << rm.err;
  EXPECT_TRUE(Stored()->resources.empty());
  EXPECT_EQ(bitbucket.hooks.size(), 1u) << "the webhook itself stays";
  EXPECT_EQ(fakes.http.requests().size(), requests_after_apply) << "state commands never call the server";
}

TEST_F(CliCommandsTest, GivenNoStateTheStateCommandsSayWhatToDo) {
  Ran list = Run({"-chdir=" + config.path(), "state", "list"});
  EXPECT_EQ(list.code, 1);
  EXPECT_TRUE(Has(list.err, "no state file at " + StatePath() + "; state commands need one")) << list.err;
}

TEST_F(CliCommandsTest, GivenAStateLockedByAnotherRunPlanStopsBeforeAnyRequest) {
  fakes.stores.At(StatePath())->lock = state::LockInfo{"lock-1", "apply", "ci@runner", "2026-12-07T06:00:00Z", StatePath()};
  Ran plan = Run({"plan", config.path()});
  EXPECT_EQ(plan.code, 1);
  EXPECT_TRUE(Has(plan.err, "ci@runner")) << plan.err;
  EXPECT_TRUE(Has(plan.err, "force-unlock")) << "the way out is named";
  EXPECT_EQ(Sent("POST") + Sent("PUT") + Sent("DELETE"), 0);
}

TEST_F(CliCommandsTest, GivenAnApplyTheLockCarriesTheClocksTime) {
  fakes.clock.SetWallNow(std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000)));
  std::optional<state::LockInfo> held;
  fakes.http.SetHandler([&](const http::Request& request) {
    if (request.method == "POST") held = fakes.stores.At(StatePath())->lock;
    return bitbucket.Answer(request);
  });
  ASSERT_EQ(Run({"apply", "-auto-approve", config.path()}).code, 0);
  ASSERT_TRUE(held) << "the state is locked while the apply writes";
  EXPECT_EQ(held->operation, "apply");
  EXPECT_EQ(held->created, "2027-01-15T08:00:00Z");
}

TEST_F(CliCommandsTest, GivenCtrlCDuringTheFirstCreateApplyStartsNothingNewAndSavesWhatWasDone) {
  config.Write("main.lua", std::string(kOneWebhook) + R"(
bitbucket.webhook "INFRA/api-2" {
  server = bb, project = "INFRA", repository = "api",
  name = "ci-2", url = "https://ci.example.com/hook2", events = { "repo:refs_changed" },
})");
  fakes.http.SetHandler([&](const http::Request& request) {
    if (request.method == "POST") fakes.interrupts.Raise();
    return bitbucket.Answer(request);
  });
  Ran apply = Run({"apply", "-auto-approve", "-parallelism=1", config.path()});
  EXPECT_EQ(apply.code, 1) << apply.out << apply.err;
  EXPECT_TRUE(Has(apply.out, "Apply interrupted.")) << apply.out;
  EXPECT_EQ(Sent("POST"), 1) << "the second webhook is not started";
  EXPECT_EQ(Stored()->resources.size(), 1u) << "the first one is recorded";
  EXPECT_EQ(fakes.interrupts.unhandled(), 0) << "the interrupt arrived while the apply caught it";
  EXPECT_FALSE(fakes.interrupts.catching()) << "the handlers are restored after the apply";
}

TEST_F(CliCommandsTest, GivenNoColorInTheEnvironmentATerminalGetsNoColours) {
  out_is_terminal = true;
  EXPECT_TRUE(Has(Run({"plan", config.path()}).out, "\033[")) << "a terminal gets colours";
  fakes.env.Set("NO_COLOR", "1");
  EXPECT_FALSE(Has(Run({"plan", config.path()}).out, "\033["));
}

TEST_F(CliCommandsTest, GivenASlowServerTheWaitLineGoesToTheTerminalsErrorStream) {
  err_is_terminal = true;
  fakes.http.SetHandler([&](const http::Request& request) {
    if (request.url == kProperties && fakes.clients_made().at(0).progress)
      fakes.clients_made().at(0).progress("still waiting for bb.test:80: GET /rest/api/1.0/application-properties");
    return bitbucket.Answer(request);
  });
  Ran plan = Run({"plan", config.path()});
  ASSERT_EQ(plan.code, 0) << plan.err;
  EXPECT_TRUE(Has(plan.err, "\r\033[Kstill waiting for bb.test:80: GET /rest/api/1.0/application-properties\n"))
      << "on a terminal the line first clears a half-drawn progress line";
  EXPECT_FALSE(Has(plan.out, "still waiting")) << "stdout stays clean for -json";
}

TEST_F(CliCommandsTest, GivenABadLuaTimeLimitInTheEnvironmentTheErrorNamesTheVariable) {
  fakes.env.Set("STASHFORM_LUA_TIME_LIMIT", "soon");
  Ran plan = Run({"plan", config.path()});
  EXPECT_EQ(plan.code, 1);
  EXPECT_TRUE(Has(plan.err, "Error: STASHFORM_LUA_TIME_LIMIT \"soon\": expected a positive duration")) << plan.err;
}

TEST_F(CliCommandsTest, GivenAStatePassphraseInTheEnvironmentTheStoreIsOpenedWithIt) {
  fakes.env.Set("STASHFORM_STATE_PASSPHRASE", "correct horse battery staple");
  ASSERT_EQ(Run({"plan", config.path()}).code, 0);
  ASSERT_EQ(fakes.stores.opened().size(), 1u);
  EXPECT_EQ(fakes.stores.opened()[0].first, StatePath());
  ASSERT_TRUE(fakes.stores.opened()[0].second.key);
  EXPECT_EQ(fakes.stores.opened()[0].second.key->origin, "STASHFORM_STATE_PASSPHRASE");
}

TEST_F(CliCommandsTest, GivenAnUnsetVariableTheConfigErrorNamesItAndNothingIsSent) {
  fakes.env.Unset("WEBHOOK_SECRET");
  Ran plan = Run({"plan", config.path()});
  EXPECT_EQ(plan.code, 1);
  EXPECT_TRUE(Has(plan.err, "WEBHOOK_SECRET")) << plan.err;
  EXPECT_TRUE(fakes.http.requests().empty());
}

TEST_F(CliCommandsTest, GivenASavedPlanApplyReadsTheSecretFromTheVariableTheConfigNamed) {
  // A CI variable that happens to hold the same value, and sorts first, is not what the config read.
  fakes.env.Set("AAA_CI_COPY", kSecret);
  const std::string plan_file = config.path() + "/reviewed.plan";
  ASSERT_EQ(Run({"plan", "-out=" + plan_file, config.path()}).code, 0);
  fakes.env.Unset("AAA_CI_COPY");
  Ran apply = Run({"-chdir=" + config.path(), "apply", plan_file});
  EXPECT_EQ(apply.code, 0) << apply.err;
  EXPECT_EQ(bitbucket.hooks.size(), 1u);
  EXPECT_FALSE(Has(apply.err, "AAA_CI_COPY")) << apply.err;
}

/// force-unlock reaches the lock through the store the backends open on the state's path.
class ForceUnlockTest : public CliCommandsTest {
 protected:
  /// A run that took the lock and died: its lock stays until someone forces it.
  void LeaveDeadLock(const std::string& id) {
    fakes.stores.At(StatePath())->lock =
        state::LockInfo{id, "apply", "ci@dead-runner", "2026-12-07T06:00:00Z", StatePath()};
  }
  bool LockFileExists() { return fakes.stores.At(StatePath())->lock.has_value(); }
};

TEST_F(ForceUnlockTest, GivenADeadRunsLockAWrongIdIsRefusedAndTheRightOneRemovesIt) {
  LeaveDeadLock("dead-lock-id");
  Ran wrong = Run({"-chdir=" + config.path(), "force-unlock", "-force", "other-id"});
  EXPECT_EQ(wrong.code, 1);
  EXPECT_TRUE(Has(wrong.err, "lock ID \"other-id\" does not match")) << wrong.err;
  EXPECT_TRUE(LockFileExists());

  Ran right = Run({"-chdir=" + config.path(), "force-unlock", "-force", "dead-lock-id"});
  EXPECT_EQ(right.code, 0) << right.err;
  EXPECT_TRUE(Has(right.out, "has been removed")) << right.out;
  EXPECT_FALSE(LockFileExists());
}

TEST_F(ForceUnlockTest, GivenNoTerminalAndNoForceTheUserIsToldToPassForce) {
  LeaveDeadLock("dead-lock-id");
  Ran ran = Run({"-chdir=" + config.path(), "force-unlock", "dead-lock-id"});
  EXPECT_EQ(ran.code, 1);
  EXPECT_TRUE(Has(ran.err, "pass -force")) << ran.err;
  EXPECT_TRUE(LockFileExists());
}

}  // namespace
}  // namespace stashform::cli
