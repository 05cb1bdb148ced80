// Terraform's JSON formats from the real binary against the Bitbucket emulator: the machine-readable
// UI of plan -json and apply -json, and the plan and state representations of show -json. Every run
// goes into the transcript that secret_scan reads.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/integration/webhook_config_fixture.h"

namespace stashform::testing {
namespace {

namespace json = boost::json;

const char* const kSecret = "json-formats-secret-5d17e0";

const char* const kConfig = R"(local bb = bitbucket.server "corp" {
  url = env "BITBUCKET_URL", username = "admin", password = env "BITBUCKET_PASSWORD",
}
local hooks = {}
for _, slug in ipairs({ "tf-network", "tf-dns" }) do
  hooks[slug] = bitbucket.webhook ("INFRA/" .. slug) {
    server = bb, project = "INFRA", repository = slug,
    name = "ci", url = "https://ci.example.com/hook",
    events = { "repo:refs_changed" },
    secret = env "WEBHOOK_SECRET",
  }
end
output "network_hook" { value = hooks["tf-network"].id }
)";

class JsonFormatsE2E : public WebhookConfigTest {
 protected:
  JsonFormatsE2E() : WebhookConfigTest(kConfig, kSecret) {}

};

/// Each line of a -json run parsed, after checking the fields every message carries.
std::vector<json::object> Messages(const std::string& out) {
  std::vector<json::object> messages;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    json::object message = json::parse(line).as_object();
    for (const char* key : {"@level", "@message", "@module", "@timestamp", "type"})
      EXPECT_TRUE(message.contains(key) && message.at(key).is_string()) << key << " in " << line;
    EXPECT_EQ(message.at("@module"), "stashform.ui");
    messages.push_back(std::move(message));
  }
  return messages;
}

std::vector<json::object> OfType(const std::vector<json::object>& messages, const std::string& type) {
  std::vector<json::object> out;
  for (const auto& message : messages)
    if (message.at("type").as_string() == type) out.push_back(message);
  return out;
}

TEST_F(JsonFormatsE2E, PlanJsonOutThenShowJsonThenApplyJsonSpeakTerraformsFormats) {
  const std::string plan_file = work.path() + "/ci.plan";
  // plan -json: the UI stream, one message a line, the version first.
  CliRun plan = Stashform({"plan", "-json", "-out=" + plan_file});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  auto planned = Messages(plan.out);
  ASSERT_FALSE(planned.empty());
  EXPECT_EQ(planned.front().at("type"), "version");
  auto changes = OfType(planned, "planned_change");
  ASSERT_EQ(changes.size(), 2u) << plan.out;
  EXPECT_EQ(changes[0].at("change").at("action"), "create");
  EXPECT_EQ(changes[0].at("change").at("resource").at("resource_type"), "bitbucket.webhook");
  ASSERT_EQ(OfType(planned, "change_summary").size(), 1u);
  EXPECT_EQ(OfType(planned, "change_summary")[0].at("changes"),
            (json::object{{"add", 2}, {"change", 0}, {"import", 0}, {"remove", 0}, {"operation", "plan"}}));

  // show -json PLANFILE: the plan representation, read as a GitLab report step reads it.
  CliRun show = Stashform({"show", "-json", plan_file}, false);
  ASSERT_EQ(show.exit_code, 0) << show.err;
  json::value representation = json::parse(show.out);
  EXPECT_EQ(representation.at("format_version"), "1.2");
  ASSERT_EQ(representation.at("resource_changes").as_array().size(), 2u);
  for (const auto& change : representation.at("resource_changes").as_array()) {
    EXPECT_EQ(change.at("change").at("actions"), (json::array{"create"}));
    EXPECT_EQ(change.at("change").at("after_sensitive").at("secret"), true);
    EXPECT_TRUE(change.at("change").at("after").at("secret").is_null());
  }
  EXPECT_EQ(representation.at("configuration").at("root_module").at("resources").as_array().size(), 2u);
  EXPECT_EQ(representation.at("configuration").at("root_module").at("outputs").at("network_hook").at("expression"),
            (json::object{{"references", json::array{"bitbucket.webhook[\"INFRA/tf-network\"].id",
                                                      "bitbucket.webhook[\"INFRA/tf-network\"]"}}}));
  EXPECT_EQ(representation.at("applyable"), true);

  // apply -json PLANFILE: a start and a completion for each webhook, the summary, the outputs.
  CliRun apply = Stashform({"apply", "-json", plan_file}, false);
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  auto applied = Messages(apply.out);
  EXPECT_EQ(OfType(applied, "apply_start").size(), 2u) << apply.out;
  EXPECT_EQ(OfType(applied, "apply_complete").size(), 2u) << apply.out;
  ASSERT_EQ(OfType(applied, "change_summary").size(), 1u) << apply.out;
  EXPECT_EQ(OfType(applied, "change_summary")[0].at("@message"), "Apply complete! Resources: 2 added, 0 changed, 0 destroyed.");
  ASSERT_EQ(OfType(applied, "outputs").size(), 1u);
  EXPECT_EQ(OfType(applied, "outputs")[0].at("outputs").at("network_hook").at("sensitive"), false);
  EXPECT_EQ(bitbucket.Webhooks().size(), 2u);

  // show -json: the state representation, with the ids the server gave.
  CliRun state = Stashform({"show", "-json"}, false);
  ASSERT_EQ(state.exit_code, 0) << state.all();
  auto resources = json::parse(state.out).at("values").at("root_module").at("resources").as_array();
  ASSERT_EQ(resources.size(), 2u);
  for (const auto& resource : resources) {
    EXPECT_FALSE(resource.at("values").at("id").as_string().empty());
    EXPECT_EQ(resource.at("sensitive_values").at("secret"), true);
  }
  EXPECT_EQ(transcript.find(kSecret), std::string::npos);
}

TEST_F(JsonFormatsE2E, ApplyJsonStreamsRefreshesAndUpdatesAndNeedsAutoApprove) {
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0) << transcript;
  CliRun unattended = Stashform({"apply", "-json"});
  EXPECT_EQ(unattended.exit_code, 1);
  EXPECT_EQ(unattended.err, "Error: apply -json needs -auto-approve (or a plan file made by plan -out)\n");

  // A second event for every hook: two updates.
  std::string config = kConfig;
  config.replace(config.find("\"repo:refs_changed\""), 19, "\"repo:refs_changed\", \"pr:merged\"");
  work.Write("main.lua", config);
  CliRun apply = Stashform({"apply", "-json", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  auto messages = Messages(apply.out);
  EXPECT_EQ(OfType(messages, "refresh_start").size(), 2u) << apply.out;
  EXPECT_EQ(OfType(messages, "refresh_complete").size(), 2u) << apply.out;
  auto planned = OfType(messages, "planned_change");
  ASSERT_EQ(planned.size(), 2u) << apply.out;
  EXPECT_EQ(planned[0].at("change").at("action"), "update");
  auto completed = OfType(messages, "apply_complete");
  ASSERT_EQ(completed.size(), 2u) << apply.out;
  EXPECT_EQ(completed[0].at("hook").at("action"), "update");
  EXPECT_EQ(completed[0].at("hook").at("id_key"), "id");
  EXPECT_EQ(OfType(messages, "change_summary").back().at("changes").at("change"), 2);
  EXPECT_EQ(transcript.find(kSecret), std::string::npos);
}

TEST_F(JsonFormatsE2E, ReplaceRequestedIsReplaceByRequestInShowJson) {
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0) << transcript;
  const std::string plan_file = work.path() + "/replace.plan";
  ASSERT_EQ(Stashform({"plan", "-replace=bitbucket.webhook[\"INFRA/tf-dns\"]", "-out=" + plan_file}).exit_code, 0)
      << transcript;
  CliRun show = Stashform({"show", "-json", plan_file}, false);
  ASSERT_EQ(show.exit_code, 0) << show.err;
  json::value representation = json::parse(show.out);
  std::map<std::string, json::value> by_address;
  for (const auto& change : representation.at("resource_changes").as_array())
    by_address[std::string(change.at("address").as_string())] = change;
  const json::value& replaced = by_address.at("bitbucket.webhook[\"INFRA/tf-dns\"]");
  EXPECT_EQ(replaced.at("action_reason"), "replace_by_request");
  EXPECT_EQ(replaced.at("change").at("actions").as_array().size(), 2u);
  EXPECT_EQ(by_address.at("bitbucket.webhook[\"INFRA/tf-network\"]").at("change").at("actions"), (json::array{"no-op"}));
  EXPECT_EQ(representation.at("prior_state").at("values").at("root_module").at("resources").as_array().size(), 2u);
  EXPECT_EQ(transcript.find(kSecret), std::string::npos);
}

}  // namespace
}  // namespace stashform::testing
