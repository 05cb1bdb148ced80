// User stories for the commands around plan and apply — validate, graph, state, import, output,
// force-unlock — run with the real binaries over HTTP on loopback.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "tests/integration/harness.h"

namespace stashform::testing {
namespace {

namespace json = boost::json;

const char* const kWebhookSecret = "cli-webhook-secret-8c2e";
const char* const kTokenValue = "cli-token-value-51ab";  // planted in state as private data

const char* const kNetwork = R"(bitbucket.webhook["INFRA/tf-network"])";
const char* const kDns = R"(bitbucket.webhook["INFRA/tf-dns"])";

// The DNS webhook is ordered after the network one: a depends_on edge for graph and import.
const char* const kConfig = R"(local bb = bitbucket.server "corp" {
  url      = env "BITBUCKET_URL",
  username = env "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}

local network = bitbucket.webhook "INFRA/tf-network" {
  server = bb, project = "INFRA", repository = "tf-network",
  name = "ci", url = "https://ci.example.com/hook",
  events = { "repo:refs_changed", "pr:merged" },
  secret = env "WEBHOOK_SECRET",
}

bitbucket.webhook "INFRA/tf-dns" {
  server = bb, project = "INFRA", repository = "tf-dns",
  name = "ci", url = "https://ci.example.com/hook",
  events = { "repo:refs_changed", "pr:merged" },
  secret = env "WEBHOOK_SECRET",
  depends_on = { network },
}
)";

/// Whether `shown` (state show's output) has the line `    KEY<padding> = VALUE`.
bool HasAttributeLine(const std::string& shown, const std::string& key, const std::string& value) {
  for (size_t at = shown.find("\n    " + key + " "); at != std::string::npos;
       at = shown.find("\n    " + key + " ", at + 1)) {
    size_t equals = shown.find_first_not_of(' ', at + 5 + key.size());
    if (equals != std::string::npos && shown.compare(equals, 3 + value.size(), "= " + value + "\n") == 0)
      return true;
  }
  return false;
}

class CliCommands : public ::testing::Test {
 protected:
  CliCommands() : bitbucket(SeedWithRepositories({"tf-network", "tf-dns"})) {
    work.Write("main.lua", kConfig);
    env = {{"BITBUCKET_URL", bitbucket.url()}, {"BITBUCKET_USER", "admin"},
           {"BITBUCKET_PASSWORD", "admin"}, {"WEBHOOK_SECRET", kWebhookSecret}};
  }

  /// Runs in the config folder, so the state is stashform.state.json.
  CliRun Stashform(const std::vector<std::string>& args) {
    CliRun run = RunStashform(args, env, work.path());
    transcript += run.all();
    return run;
  }

  void Apply() {
    CliRun apply = Stashform({"apply", "-auto-approve"});
    ASSERT_EQ(apply.exit_code, 0) << apply.all();
  }

  /// Edits the state file as a later stashform (or a hand) might have written it.
  void EditState(const std::function<void(json::object&)>& edit) {
    json::value state = json::parse(work.Read("stashform.state.json"));
    edit(state.as_object());
    work.Write("stashform.state.json", json::serialize(state));
  }

  Emulator bitbucket;
  TempDir work;
  std::map<std::string, std::string> env;
  std::string transcript;  // every byte the CLI printed, searched for secrets
};

// validate

TEST_F(CliCommands, ValidateAcceptsAGoodConfigWithoutReachingAnyServer) {
  env["BITBUCKET_URL"] = "http://127.0.0.1:1";  // nothing listens: validate must not call it
  CliRun run = Stashform({"validate"});
  EXPECT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(run.out, "Success! The configuration is valid.\n");
  EXPECT_EQ(run.err, "");

  // From elsewhere, with the folder after a repeatable option that must not swallow it.
  CliRun elsewhere = RunStashform(
      {"validate", "-env-allow", "BITBUCKET_*", "-env-allow", "WEBHOOK_SECRET", work.path()}, env, "/");
  EXPECT_EQ(elsewhere.exit_code, 0) << elsewhere.all();

  CliRun as_json = Stashform({"validate", "-json"});
  EXPECT_EQ(as_json.exit_code, 0);
  EXPECT_EQ(as_json.out,
            R"({"format_version":"1.0","valid":true,"error_count":0,"warning_count":0,"diagnostics":[]})"
            "\n");
}

// Three problems in one run: a misspelt attribute, the required one it left out, and a reference
// to an attribute the webhook type does not have.
const char* const kThreeProblems = R"(local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = "t" }
local network = bitbucket.webhook "INFRA/tf-network" {
  server = bb, project = "INFRA", repository = "tf-network", name = "ci", url = "https://ci.example.com/hook",
  evnts = { "repo:refs_changed" },
}
bitbucket.webhook "INFRA/tf-dns" {
  server = bb, project = "INFRA", repository = "tf-dns", name = "ci", url = network.urll,
  events = { "repo:refs_changed" },
}
)";

TEST_F(CliCommands, ValidateReportsEveryProblemWithItsPlaceAsTextAndAsJson) {
  work.Write("main.lua", kThreeProblems);
  CliRun run = Stashform({"validate"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "Error: main.lua:2: bitbucket.webhook \"INFRA/tf-network\": unknown attribute \"evnts\" (did you mean "
            "\"events\"?)\n"
            "Error: main.lua:2: bitbucket.webhook \"INFRA/tf-network\": missing required attribute \"events\"\n"
            "Error: main.lua:7: bitbucket.webhook[\"INFRA/tf-network\"]: unknown attribute \"urll\" (did you mean "
            "\"url\"?)\n");

  CliRun as_json = Stashform({"validate", "-json"});
  EXPECT_EQ(as_json.exit_code, 1);
  EXPECT_EQ(as_json.err, "");
  json::value report = json::parse(as_json.out);
  EXPECT_EQ(report.at("format_version").as_string(), "1.0");
  EXPECT_EQ(report.at("valid").as_bool(), false);
  EXPECT_EQ(report.at("error_count").to_number<int>(), 3);
  EXPECT_EQ(report.at("warning_count").to_number<int>(), 0);
  const auto& last = report.at("diagnostics").at(2);
  EXPECT_EQ(last.at("severity").as_string(), "error");
  EXPECT_EQ(last.at("summary").as_string(), "bitbucket.webhook[\"INFRA/tf-network\"]: unknown attribute \"urll\"");
  EXPECT_EQ(last.at("detail").as_string(), "did you mean \"url\"?");
  EXPECT_EQ(last.at("range").at("filename").as_string(), "main.lua");
  EXPECT_EQ(last.at("range").at("start").at("line").to_number<int>(), 7);
}

TEST_F(CliCommands, ValidateJsonReportsAMalformedVarWithoutAPlace) {
  CliRun run = Stashform({"validate", "-json", "-var", "region"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out,
            R"({"format_version":"1.0","valid":false,"error_count":1,"warning_count":0,"diagnostics":[)"
            R"({"severity":"error","summary":"-var \"region\": expected name=value","detail":""}]})"
            "\n");
}

// graph

TEST_F(CliCommands, GraphPrintsTheDependsOnEdgeAsDotAndAsAList) {
  CliRun dot = Stashform({"graph"});
  ASSERT_EQ(dot.exit_code, 0) << dot.all();
  EXPECT_EQ(dot.out,
            "digraph stashform {\n"
            "  rankdir = \"RL\";\n"
            "  \"bitbucket.webhook[\\\"INFRA/tf-network\\\"]\";\n"
            "  \"bitbucket.webhook[\\\"INFRA/tf-dns\\\"]\";\n"
            "  \"bitbucket.webhook[\\\"INFRA/tf-dns\\\"]\" -> \"bitbucket.webhook[\\\"INFRA/tf-network\\\"]\";\n"
            "}\n");
  CliRun list = Stashform({"graph", "-format", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.all();
  EXPECT_EQ(list.out, std::string(kNetwork) + "\n" + kDns + "\n  -> " + kNetwork + "\n");
}

TEST_F(CliCommands, GraphRefusesAnUnknownFormat) {
  CliRun run = Stashform({"graph", "-format", "svg"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, "Error: -format: svg not in {dot,list}\n");
}

// state

TEST_F(CliCommands, StateListAndShowWithSecretsMasked) {
  Apply();
  EditState([](json::object& state) {
    state["resources"].as_array()[0].as_object()["private"] = json::object{{"token", kTokenValue}};
  });

  CliRun list = Stashform({"state", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.all();
  EXPECT_EQ(list.out, std::string(kDns) + "\n" + kNetwork + "\n");
  CliRun filtered = Stashform({"state", "list", "bitbucket.webhook[\"INFRA/tf-n"});
  EXPECT_EQ(filtered.out, std::string(kNetwork) + "\n");
  CliRun as_json = Stashform({"state", "list", "-json"});
  json::value listed = json::parse(as_json.out);
  EXPECT_EQ(listed.at("resources").as_array().size(), 2u);
  EXPECT_EQ(listed.at("resources").at(0).at("address").as_string(), kDns);
  EXPECT_EQ(listed.at("resources").at(0).at("server").as_string(), "corp");

  CliRun show = Stashform({"state", "show", kDns});
  ASSERT_EQ(show.exit_code, 0) << show.all();
  EXPECT_NE(show.out.find("# bitbucket.webhook[\"INFRA/tf-dns\"]:\n"
                          "resource \"bitbucket.webhook\" \"INFRA/tf-dns\" {\n"),
            std::string::npos)
      << show.out;
  EXPECT_TRUE(HasAttributeLine(show.out, "server", "\"corp\"")) << show.out;
  EXPECT_TRUE(HasAttributeLine(show.out, "secret", "(sensitive)")) << show.out;
  EXPECT_TRUE(HasAttributeLine(show.out, "private.token", "(sensitive)")) << show.out;
  EXPECT_TRUE(HasAttributeLine(show.out, "dependencies", R"([ "bitbucket.webhook[\"INFRA/tf-network\"]" ])"))
      << show.out;
  EXPECT_EQ(show.out.find("sha256:"), std::string::npos) << "not even the secret's digest";

  EXPECT_EQ(transcript.find(kWebhookSecret), std::string::npos);
  EXPECT_EQ(transcript.find(kTokenValue), std::string::npos);
}

TEST_F(CliCommands, StateShowOfAMisspeltAddressSuggestsTheRecordedOne) {
  Apply();
  CliRun typo = Stashform({"state", "show", R"(bitbucket.webhook["INFRA/tf-dn"])"});
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_EQ(typo.err,
            "Error: no resource bitbucket.webhook[\"INFRA/tf-dn\"] in the state (did you mean "
            "bitbucket.webhook[\"INFRA/tf-dns\"]?)\n");
  CliRun malformed = Stashform({"state", "show", "bitbucket.webhook.tf-dns"});
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_EQ(malformed.err,
            "Error: invalid resource address \"bitbucket.webhook.tf-dns\": expected TYPE[\"NAME\"], e.g. "
            "bitbucket.webhook[\"INFRA/api\"]\n");
  CliRun unknown = Stashform({"state", "lst"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err.rfind("Error: unknown state subcommand \"lst\" (did you mean \"list\"?)\n", 0), 0u)
      << unknown.err;
  // Every group of subcommands answers a mistype the same way.
  CliRun workspace = Stashform({"workspace", "selct"});
  EXPECT_EQ(workspace.exit_code, 1);
  EXPECT_EQ(workspace.err.rfind("Error: unknown workspace subcommand \"selct\" (did you mean \"select\"?)\n", 0), 0u)
      << workspace.err;
  EXPECT_NE(workspace.err.find("Usage: stashform workspace <subcommand> [options] [NAME]"), std::string::npos)
      << workspace.err;
}

TEST_F(CliCommands, StatePullMasksSecretsUnlessAskedToShowThem) {
  Apply();
  EditState([](json::object& state) {
    state["resources"].as_array()[1].as_object()["private"] = json::object{{"token", kTokenValue}};
  });
  CliRun pull = Stashform({"state", "pull"});
  ASSERT_EQ(pull.exit_code, 0) << pull.all();
  json::value pulled = json::parse(pull.out);
  EXPECT_EQ(pulled.at("format").as_string(), "stashform-state");
  const auto& network = pulled.at("resources").at(1);
  EXPECT_EQ(network.at("address").as_string(), kNetwork);
  EXPECT_EQ(network.at("attributes").at("secret").as_string(), "(sensitive)");
  EXPECT_EQ(network.at("private").at("token").as_string(), "(sensitive)");
  EXPECT_EQ(transcript.find(kTokenValue), std::string::npos);
  EXPECT_EQ(transcript.find(kWebhookSecret), std::string::npos);
  EXPECT_EQ(transcript.find("sha256:"), std::string::npos);

  // Asked explicitly: the recorded values (the webhook secret only ever as its digest).
  CliRun shown = RunStashform({"state", "pull", "-show-sensitive"}, env, work.path());
  json::value revealed = json::parse(shown.out);
  EXPECT_EQ(std::string(revealed.at("resources").at(1).at("attributes").at("secret").as_string()).rfind("sha256:", 0),
            0u);
  EXPECT_EQ(shown.out.find(kWebhookSecret), std::string::npos);
}

TEST_F(CliCommands, StateRmForgetsWithoutDeletingAndIsAllOrNothing) {
  Apply();
  CliRun partly_wrong = Stashform({"state", "rm", kNetwork, R"(bitbucket.webhook["INFRA/nope"])"});
  EXPECT_EQ(partly_wrong.exit_code, 1);
  EXPECT_EQ(partly_wrong.err,
            "Error: no resource bitbucket.webhook[\"INFRA/nope\"] in the state\nNothing was removed.\n");
  EXPECT_EQ(Stashform({"state", "list"}).out, std::string(kDns) + "\n" + kNetwork + "\n");

  CliRun rm = Stashform({"state", "rm", kNetwork});
  ASSERT_EQ(rm.exit_code, 0) << rm.all();
  EXPECT_EQ(rm.out, std::string("Removed ") + kNetwork +
                        "\nSuccessfully removed 1 resource(s) from the state; the remote objects were not touched.\n");
  EXPECT_EQ(Stashform({"state", "list"}).out, std::string(kDns) + "\n");
  EXPECT_EQ(bitbucket.Webhooks().size(), 2u) << "state rm never deletes remotely";
}

TEST_F(CliCommands, StateMvRenamesAndRefusesAnotherType) {
  Apply();
  const char* renamed = R"(bitbucket.webhook["INFRA/dns"])";
  CliRun mv = Stashform({"state", "mv", kDns, renamed});
  ASSERT_EQ(mv.exit_code, 0) << mv.all();
  EXPECT_EQ(mv.out, std::string("Move \"") + kDns + "\" to \"" + renamed + "\"\nSuccessfully moved 1 object(s).\n");
  EXPECT_EQ(Stashform({"state", "list"}).out, std::string(renamed) + "\n" + kNetwork + "\n");

  CliRun other_type = Stashform({"state", "mv", kNetwork, R"(bitbucket.project_webhook["INFRA"])"});
  EXPECT_EQ(other_type.exit_code, 1);
  EXPECT_EQ(other_type.err, std::string("Error: cannot move ") + kNetwork +
                                " to bitbucket.project_webhook[\"INFRA\"]: the type differs (bitbucket.webhook is "
                                "not bitbucket.project_webhook)\n");
}

TEST_F(CliCommands, StateCommandsWithoutAStateFileSaySo) {
  CliRun list = Stashform({"state", "list"});
  EXPECT_EQ(list.exit_code, 1);
  EXPECT_EQ(list.err,
            "Error: no state file at stashform.state.json; state commands need one (run apply first, or point "
            "-state at it)\n");
}

// import

TEST_F(CliCommands, ImportAdoptsAWebhookThatStateForgot) {
  Apply();
  ASSERT_EQ(Stashform({"state", "rm", kDns}).exit_code, 0);
  CliRun import = Stashform({"import", kDns, "INFRA/tf-dns/ci"});
  ASSERT_EQ(import.exit_code, 0) << import.all();
  EXPECT_NE(import.out.find(std::string(kDns) + ": Importing from ID \"INFRA/tf-dns/ci\"...\n"), std::string::npos)
      << import.out;
  EXPECT_NE(import.out.find("Import successful!"), std::string::npos);
  EXPECT_EQ(Stashform({"state", "list"}).out, std::string(kDns) + "\n" + kNetwork + "\n");
  CliRun show = Stashform({"state", "show", kDns});
  EXPECT_TRUE(HasAttributeLine(show.out, "name", "\"ci\"")) << show.out;
  EXPECT_TRUE(HasAttributeLine(show.out, "dependencies", R"([ "bitbucket.webhook[\"INFRA/tf-network\"]" ])"))
      << show.out;
  EXPECT_EQ(bitbucket.Webhooks().size(), 2u);
  CliRun plan = Stashform({"plan"});
  EXPECT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;
  EXPECT_EQ(transcript.find(kWebhookSecret), std::string::npos);
}

TEST_F(CliCommands, ImportRefusesAnAddressInStateOrMissingFromConfig) {
  Apply();
  CliRun twice = Stashform({"import", kDns, "INFRA/tf-dns/ci"});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find(std::string("Error: ") + kDns + " is already in the state (id "), std::string::npos)
      << twice.err;

  CliRun undeclared = Stashform({"import", R"(bitbucket.webhook["INFRA/tf-dnss"])", "INFRA/tf-dns/ci"});
  EXPECT_EQ(undeclared.exit_code, 1);
  EXPECT_EQ(undeclared.err,
            "Error: no resource bitbucket.webhook[\"INFRA/tf-dnss\"] in the configuration (did you mean "
            "bitbucket.webhook[\"INFRA/tf-dns\"]?)\nDeclare the block first, then import the object into it.\n");

  ASSERT_EQ(Stashform({"state", "rm", kDns}).exit_code, 0);
  CliRun missing = Stashform({"import", kDns, "INFRA/tf-dns/nope"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err,
            std::string("Error: ") + kDns + ": no object with ID \"INFRA/tf-dns/nope\" on server \"corp\"\n");
}

// output

TEST_F(CliCommands, OutputMasksSensitiveValuesInTextAndPrintsThemInFullWithJsonOrRaw) {
  Apply();
  EditState([](json::object& state) {
    state["outputs"] = json::object{{"hook_url", "https://ci.example.com/hook"}, {"token", kTokenValue}};
    state["sensitive_outputs"] = json::array{"token"};
  });
  CliRun all = Stashform({"output"});
  ASSERT_EQ(all.exit_code, 0) << all.all();
  EXPECT_EQ(all.out, "hook_url = \"https://ci.example.com/hook\"\ntoken = (sensitive)\n");
  CliRun one = Stashform({"output", "token"});
  EXPECT_EQ(one.out, "(sensitive)\n");
  EXPECT_EQ(Stashform({"output", "hook_url"}).out, "\"https://ci.example.com/hook\"\n");
  CliRun typo = Stashform({"output", "hook_ur"});
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_EQ(typo.err, "Error: output \"hook_ur\" not found in the state (did you mean \"hook_url\"?)\n");
  EXPECT_EQ(transcript.find(kTokenValue), std::string::npos);

  // -json and -raw are for scripts, as in terraform output: the value in full, the mark beside it.
  CliRun as_json = RunStashform({"output", "-json"}, env, work.path());
  json::value outputs = json::parse(as_json.out);
  EXPECT_EQ(outputs.at("token").at("sensitive").as_bool(), true);
  EXPECT_EQ(outputs.at("token").at("type").as_string(), "string");
  EXPECT_EQ(outputs.at("token").at("value").as_string(), kTokenValue);
  EXPECT_EQ(outputs.at("hook_url").at("sensitive").as_bool(), false);
  EXPECT_EQ(outputs.at("hook_url").at("value").as_string(), "https://ci.example.com/hook");
  EXPECT_EQ(RunStashform({"output", "-json", "token"}, env, work.path()).out, std::string("\"") + kTokenValue + "\"\n");
  EXPECT_EQ(RunStashform({"output", "-raw", "token"}, env, work.path()).out, kTokenValue);
  EXPECT_EQ(Stashform({"output", "-raw", "hook_url"}).out, "https://ci.example.com/hook");
  // -show-sensitive reveals it in the plain text.
  CliRun revealed = RunStashform({"output", "-show-sensitive", "token"}, env, work.path());
  EXPECT_EQ(revealed.out, std::string("\"") + kTokenValue + "\"\n");
}

TEST_F(CliCommands, OutputRawNeedsOneNameAndAScalar) {
  Apply();
  EditState([](json::object& state) {
    state["outputs"] = json::object{{"urls", json::array{"a", "b"}}};
  });
  CliRun unnamed = Stashform({"output", "-raw"});
  EXPECT_EQ(unnamed.exit_code, 1);
  EXPECT_EQ(unnamed.err, "Error: -raw prints one output as it is: name it (stashform output -raw NAME), and leave out -json\n");
  CliRun list = Stashform({"output", "-raw", "urls"});
  EXPECT_EQ(list.exit_code, 1);
  EXPECT_EQ(list.err, "Error: output \"urls\" is a list; -raw prints only a string, a number or a bool: use -json\n");
}

TEST_F(CliCommands, OutputWithNoneRecordedWarns) {
  Apply();
  CliRun run = Stashform({"output"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "Warning: no outputs found: the state has none; outputs are recorded by apply\n");
}

// force-unlock

const char* const kStaleLock =
    R"({"id":"5d0c7c1e-dead-run","operation":"apply","who":"ci@runner-7",)"
    R"("created":"2026-11-23T10:00:00Z","path":"stashform.state.json"})";

TEST_F(CliCommands, ForceUnlockRemovesAStaleLockOnlyWithItsIdAndConsent) {
  work.Write("stashform.state.json.lock", kStaleLock);
  CliRun unasked = Stashform({"force-unlock", "5d0c7c1e-dead-run"});
  EXPECT_EQ(unasked.exit_code, 1);
  EXPECT_EQ(unasked.err,
            "Error: force-unlock needs confirmation, but standard input is not a terminal; pass -force to unlock "
            "without asking\n");
  CliRun wrong = Stashform({"force-unlock", "-force", "another-id"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_EQ(wrong.err,
            "Error: lock ID \"another-id\" does not match the lock on stashform.state.json (lock ID "
            "5d0c7c1e-dead-run, held by ci@runner-7)\n");
  EXPECT_TRUE(std::filesystem::exists(work.path() + "/stashform.state.json.lock"));

  CliRun forced = Stashform({"force-unlock", "-force", "5d0c7c1e-dead-run"});
  EXPECT_EQ(forced.exit_code, 0) << forced.all();
  EXPECT_EQ(forced.out,
            "The lock 5d0c7c1e-dead-run on stashform.state.json has been removed; stashform commands can lock "
            "the state again.\n");
  EXPECT_FALSE(std::filesystem::exists(work.path() + "/stashform.state.json.lock"));
  CliRun again = Stashform({"force-unlock", "-force", "5d0c7c1e-dead-run"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.err, "Error: stashform.state.json is not locked\n");
}

TEST_F(CliCommands, AStateHeldByAnotherRunRefusesRmButStillLists) {
  Apply();
  // Another run holds the lock: the flock and the holder it recorded, as a live apply would.
  std::string lock_path = work.Write("stashform.state.json.lock", kStaleLock);
  int fd = open(lock_path.c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(flock(fd, LOCK_EX | LOCK_NB), 0);

  CliRun rm = Stashform({"state", "rm", kDns});
  EXPECT_EQ(rm.exit_code, 1);
  EXPECT_EQ(rm.err,
            "Error: state is locked by ci@runner-7 (apply, since 2026-11-23T10:00:00Z, lock ID 5d0c7c1e-dead-run); "
            "wait, or run \"stashform force-unlock 5d0c7c1e-dead-run\" if that run is dead\n");
  CliRun list = Stashform({"state", "list"});
  EXPECT_EQ(list.exit_code, 0) << list.all();
  EXPECT_EQ(list.out, std::string(kDns) + "\n" + kNetwork + "\n");
  close(fd);
}

}  // namespace
}  // namespace stashform::testing
