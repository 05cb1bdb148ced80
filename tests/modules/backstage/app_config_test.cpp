// backstage.app_config against an in-memory file system: what it writes, what it reads back as
// drift (key by key), what it keeps of the user's file and what a delete leaves.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "base/digest.h"
#include "modules/backstage/app_config.h"
#include "tests/modules/backstage/fake_config_files.h"

namespace stashform::backstage {
namespace {

using provider::ApplyAction;
using testing::FakeConfigFiles;

const std::string kPath = "/etc/backstage/app-config.stashform.yaml";

Value::Map Planned(Value::Map extra = {}) {
  Value::Map planned{{"path", Value(kPath)},
                     {"host", Value("bitbucket.example.com:7990")},
                     {"api_base_url", Value("https://bitbucket.example.com:7990/bb/rest/api/1.0")},
                     {"token", Value::Sensitive(Value("token-value-1"))},
                     {"secrets", Value("env")},
                     {"token_env", Value("BITBUCKET_TOKEN")},
                     {"password_env", Value("BITBUCKET_PASSWORD")},
                     {"client_secret_env", Value("BITBUCKET_CLIENT_SECRET")},
                     {"provider_id", Value("default")},
                     {"catalog_path", Value("/catalog-info.yaml")},
                     {"project_key_pattern", Value("^PLAT$")},
                     {"schedule_frequency_minutes", Value(30)},
                     {"schedule_timeout_minutes", Value(3)},
                     {"events", Value(false)},
                     {"auth_environment", Value("development")}};
  for (auto& [name, value] : extra) planned[name] = value;
  return planned;
}

class AppConfigTest : public ::testing::Test {
 protected:
  provider::ApplyResponse Create(const Value::Map& planned) {
    return type_.Apply({ApplyAction::kCreate, "", {}, planned});
  }
  provider::ApplyResponse Update(const Value::Map& prior, const Value::Map& planned) {
    return type_.Apply({ApplyAction::kUpdate, kPath, prior, planned});
  }
  YAML::Node File() { return YAML::Load(files_.files.at(kPath)); }

  FakeConfigFiles files_;
  AppConfigType type_{files_};
};

TEST_F(AppConfigTest, CreateWritesTheIntegrationAndTheProviderWithSecretsAsSubstitutions) {
  auto created = Create(Planned());
  ASSERT_FALSE(created.diagnostics.HasErrors()) << created.diagnostics.ToString();
  EXPECT_EQ(created.id, kPath);
  YAML::Node root = File();
  YAML::Node integration = root["integrations"]["bitbucketServer"][0];
  EXPECT_EQ(integration["host"].as<std::string>(), "bitbucket.example.com:7990");
  EXPECT_EQ(integration["apiBaseUrl"].as<std::string>(), "https://bitbucket.example.com:7990/bb/rest/api/1.0");
  EXPECT_EQ(integration["token"].as<std::string>(), "${BITBUCKET_TOKEN}");
  YAML::Node provider = root["catalog"]["providers"]["bitbucketServer"]["default"];
  EXPECT_EQ(provider["host"].as<std::string>(), "bitbucket.example.com:7990");
  EXPECT_EQ(provider["filters"]["projectKey"].as<std::string>(), "^PLAT$");
  EXPECT_EQ(provider["schedule"]["timeout"]["minutes"].as<int>(), 3);
  EXPECT_FALSE(root["events"]);  // events = false owns no key
  EXPECT_FALSE(root["auth"]);    // no client id: no sign-in provider
  // State keeps the token's digest, never its value.
  EXPECT_EQ(StringField(created.attributes, "token"), SecretDigest("token-value-1"));
}

TEST_F(AppConfigTest, TheKeyOrderIsStableAndStringsThatLookLikeNumbersStayStrings) {
  Create(Planned({{"branch", Value("2024")}, {"skip_archived_repos", Value(true)}}));
  const std::string first = files_.files.at(kPath);
  EXPECT_NE(first.find("branch: \"2024\""), std::string::npos) << first;
  EXPECT_NE(first.find("skipArchivedRepos: true"), std::string::npos) << first;
  EXPECT_EQ(File()["catalog"]["providers"]["bitbucketServer"]["default"]["filters"]["branch"].as<std::string>(), "2024");
  files_.files.erase(kPath);
  Create(Planned({{"branch", Value("2024")}, {"skip_archived_repos", Value(true)}}));
  EXPECT_EQ(files_.files.at(kPath), first);
  EXPECT_LT(first.find("integrations:"), first.find("catalog:"));
}

TEST_F(AppConfigTest, LiteralSecretsAreWrittenAsTheyAre) {
  Create(Planned({{"secrets", Value("literal")}, {"username", Value("bot")}, {"password", Value("pw-123456")}}));
  YAML::Node integration = File()["integrations"]["bitbucketServer"][0];
  EXPECT_EQ(integration["token"].as<std::string>(), "token-value-1");
  EXPECT_EQ(integration["password"].as<std::string>(), "pw-123456");
  EXPECT_EQ(integration["username"].as<std::string>(), "bot");
}

TEST_F(AppConfigTest, ReadReportsEachEditedKeyAndTakesTheFilesValue) {
  auto created = Create(Planned());
  std::string text = files_.files.at(kPath);
  text.replace(text.find("^PLAT$"), 6, ".*");
  text.replace(text.find("${BITBUCKET_TOKEN}"), 18, "pasted-by-hand");
  files_.files[kPath] = text;
  auto read = type_.Read({kPath, created.attributes});
  ASSERT_FALSE(read.gone);
  EXPECT_EQ(StringField(read.attributes, "project_key_pattern"), ".*");
  EXPECT_EQ(StringField(read.attributes, "token"), SecretDigest("pasted-by-hand"));
  EXPECT_EQ(StringField(read.attributes, "host"), "bitbucket.example.com:7990");
  ASSERT_EQ(read.notes.size(), 2u);
  EXPECT_EQ(read.notes[0], "integrations.bitbucketServer[host=bitbucket.example.com:7990].token changed in the file");
  EXPECT_EQ(read.notes[1], "catalog.providers.bitbucketServer.default.filters.projectKey changed in the file");
}

TEST_F(AppConfigTest, ReadManyReadsEachFileOnceAndAnswersEachResourceAsReadDoes) {
  auto first = Create(Planned());
  auto second = Create(Planned({{"host", Value("bitbucket2.example.com")},
                                {"api_base_url", Value("https://bitbucket2.example.com/rest/api/1.0")},
                                {"provider_id", Value("second")},
                                {"project_key_pattern", Value("^OPS$")}}));
  std::string text = files_.files.at(kPath);
  text.replace(text.find("^OPS$"), 5, "^DEV$");
  files_.files[kPath] = text;
  const std::vector<provider::ReadRequest> requests = {
      {kPath, first.attributes}, {kPath, second.attributes}, {"/etc/backstage/missing.yaml", first.attributes}};
  files_.reads.clear();
  std::vector<size_t> reported;
  auto many = type_.ReadMany(requests, [&](size_t index, const provider::ReadResponse&) { reported.push_back(index); });
  EXPECT_EQ(files_.reads, (std::vector<std::string>{kPath, "/etc/backstage/missing.yaml"}));
  EXPECT_EQ(reported, (std::vector<size_t>{0, 1, 2}));
  ASSERT_EQ(many.size(), 3u);
  for (size_t i = 0; i < requests.size(); ++i) {
    auto one = type_.Read(requests[i]);
    EXPECT_EQ(many[i].gone, one.gone) << i;
    EXPECT_EQ(many[i].attributes, one.attributes) << i;
    EXPECT_EQ(many[i].notes, one.notes) << i;
  }
  EXPECT_FALSE(many[0].gone);
  EXPECT_TRUE(many[1].notes.size() == 1 && many[1].notes[0].find("filters.projectKey changed") != std::string::npos)
      << (many[1].notes.empty() ? "" : many[1].notes[0]);
  EXPECT_TRUE(many[2].gone);
}

TEST_F(AppConfigTest, AMissingFileIsGoneAndAFileWithoutOurKeysToo) {
  auto created = Create(Planned());
  files_.files[kPath] = "app:\n  title: x\n";
  EXPECT_TRUE(type_.Read({kPath, created.attributes}).gone);
  files_.files.erase(kPath);
  EXPECT_TRUE(type_.Read({kPath, created.attributes}).gone);
}

TEST_F(AppConfigTest, UpdateKeepsTheUsersKeysAndDropsOnlyKeysItOwnedBefore) {
  files_.files[kPath] = "app:\n  title: Portal\ncatalog:\n  providers:\n    bitbucketServer:\n      default:\n"
                        "        filters:\n          branch: hand-made\n";
  auto created = Create(Planned({{"repo_slug_pattern", Value("^svc-")}}));
  auto updated = Update(created.attributes, Planned({{"provider_id", Value("corp")}}));
  ASSERT_FALSE(updated.diagnostics.HasErrors()) << updated.diagnostics.ToString();
  YAML::Node root = File();
  EXPECT_EQ(root["app"]["title"].as<std::string>(), "Portal");
  YAML::Node providers = root["catalog"]["providers"]["bitbucketServer"];
  // The old provider id's owned keys went; the user's branch filter there stayed.
  EXPECT_EQ(providers["default"]["filters"]["branch"].as<std::string>(), "hand-made");
  EXPECT_FALSE(providers["default"]["filters"]["repoSlug"]);
  EXPECT_FALSE(providers["default"]["host"]);
  EXPECT_EQ(providers["corp"]["filters"]["projectKey"].as<std::string>(), "^PLAT$");
}

TEST_F(AppConfigTest, AChangedHostRewritesTheSameIntegrationEntry) {
  auto created = Create(Planned());
  auto updated = Update(created.attributes, Planned({{"host", Value("git.example.com")}}));
  ASSERT_FALSE(updated.diagnostics.HasErrors());
  YAML::Node list = File()["integrations"]["bitbucketServer"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["host"].as<std::string>(), "git.example.com");
}

TEST_F(AppConfigTest, DeleteRemovesOnlyOwnedKeysAndTheFileWhenNothingElseIsLeft) {
  auto created = Create(Planned({{"events", Value(true)}}));
  ASSERT_FALSE(type_.Apply({ApplyAction::kDelete, kPath, created.attributes, {}}).diagnostics.HasErrors());
  EXPECT_EQ(files_.files.count(kPath), 0u);
  EXPECT_EQ(files_.removes, (std::vector<std::string>{kPath}));

  files_.files[kPath] = "events:\n  http:\n    topics: [github]\n";
  created = Create(Planned({{"events", Value(true)}}));
  EXPECT_EQ(File()["events"]["http"]["topics"].size(), 2u);
  type_.Apply({ApplyAction::kDelete, kPath, created.attributes, {}});
  YAML::Node root = File();
  ASSERT_EQ(root["events"]["http"]["topics"].size(), 1u);
  EXPECT_EQ(root["events"]["http"]["topics"][0].as<std::string>(), "github");
  EXPECT_FALSE(root["integrations"]);
  EXPECT_FALSE(root["catalog"]);
}

TEST_F(AppConfigTest, ALiteralSecretKnownOnlyByDigestMustStillBeInTheFile) {
  auto created = Create(Planned({{"secrets", Value("literal")}}));
  // A later apply from a saved plan holds only the digest: fine while the file has the value.
  Value::Map from_state = Planned({{"secrets", Value("literal")}, {"token", Value(SecretDigest("token-value-1"))},
                                   {"catalog_path", Value("/other.yaml")}});
  EXPECT_FALSE(Update(created.attributes, from_state).diagnostics.HasErrors());
  std::string text = files_.files.at(kPath);
  ASSERT_NE(text.find("token-value-1"), std::string::npos) << text;
  text.replace(text.find("token-value-1"), 13, "somebody-else");
  files_.files[kPath] = text;
  auto refused = Update(created.attributes, from_state);
  ASSERT_TRUE(refused.diagnostics.HasErrors());
  EXPECT_NE(refused.diagnostics.ToString().find("token is not known here (state keeps only its digest)"), std::string::npos);
}

TEST_F(AppConfigTest, PlanDerivesTheHostAndRefusesACatalogHostNoIntegrationHas) {
  Value::Map proposed = Planned();
  proposed.erase("host");
  auto planned = type_.Plan({true, {}, proposed});
  EXPECT_EQ(StringField(planned.planned, "host"), "bitbucket.example.com:7990");
  auto refused = type_.Plan({true, {}, Planned({{"catalog_host", Value("elsewhere.example.com")}})});
  ASSERT_TRUE(refused.diagnostics.HasErrors());
  EXPECT_EQ(refused.diagnostics.items()[0].message,
            "catalog_host \"elsewhere.example.com\" matches no integrations.bitbucketServer host");
  // A host the user's own integration entry has is fine.
  files_.files[kPath] = "integrations:\n  bitbucketServer:\n    - host: elsewhere.example.com\n";
  EXPECT_FALSE(type_.Plan({true, {}, Planned({{"catalog_host", Value("elsewhere.example.com")}})}).diagnostics.HasErrors());
}

TEST_F(AppConfigTest, ImportAdoptsAHandWrittenFragment) {
  files_.files[kPath] = "integrations:\n  bitbucketServer:\n    - host: bb.example.com\n      apiBaseUrl: https://bb.example.com/rest/api/1.0\n"
                        "catalog:\n  providers:\n    bitbucketServer:\n      main:\n        host: bb.example.com\n"
                        "        filters:\n          projectKey: ^A$\n";
  auto imported = type_.Import(kPath);
  ASSERT_TRUE(imported.found);
  EXPECT_EQ(StringField(imported.attributes, "host"), "bb.example.com");
  EXPECT_EQ(StringField(imported.attributes, "provider_id"), "main");
  EXPECT_EQ(StringField(imported.attributes, "project_key_pattern"), "^A$");
  EXPECT_EQ(imported.attributes.count("catalog_host"), 0u);  // the integration's host: no own value
  EXPECT_FALSE(type_.Import("/nowhere.yaml").found);
}

TEST_F(AppConfigTest, AFailedWriteIsAnErrorNamingTheFile) {
  files_.fail_writes = true;
  auto failed = Create(Planned());
  ASSERT_TRUE(failed.diagnostics.HasErrors());
  EXPECT_NE(failed.diagnostics.ToString().find("backstage.app_config " + kPath + ": cannot write"), std::string::npos);
}

TEST_F(AppConfigTest, AFileThatIsNotYamlIsAnErrorWithItsLine) {
  files_.files[kPath] = "app:\n  title: [unclosed\n";
  auto read = type_.Read({kPath, Planned()});
  ASSERT_TRUE(read.diagnostics.HasErrors());
  EXPECT_NE(read.diagnostics.ToString().find(kPath + ":"), std::string::npos) << read.diagnostics.ToString();
}

}  // namespace
}  // namespace stashform::backstage
