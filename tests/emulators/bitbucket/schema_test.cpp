// Answers checked against the schemas extracted from the 9.4 OpenAPI document (with the real fields
// the document omits, see fixtures/extract_schemas.py).
#include "tests/emulators/bitbucket/harness.h"
#include "tests/emulators/bitbucket/schema_validator.h"

#include <gtest/gtest.h>

namespace stashform::emulator::testing {
namespace {

class SchemaTest : public ::testing::Test {
 protected:
  void ExpectFits(const std::string& schema, const boost::json::value& value) {
    auto problems = validator_.Validate(schema, value);
    std::string joined;
    for (const auto& problem : problems) joined += problem + "\n";
    EXPECT_TRUE(problems.empty()) << joined << boost::json::serialize(value);
  }
  void ExpectPageOf(const std::string& schema, const boost::json::value& page) {
    ASSERT_TRUE(page.is_object());
    ASSERT_FALSE(page.at("values").as_array().empty());
    for (const auto& value : page.at("values").as_array()) ExpectFits(schema, value);
  }

  SchemaValidator validator_ = LoadBitbucketSchemas();
  Harness emulator_;
};

TEST_F(SchemaTest, TheValidatorCatchesAWrongFieldNameAndAWrongType) {
  auto wrong_name = boost::json::parse(R"({"version":"1","buildNumber":"1","buildDate":"1","displayName":"B","build":"x"})");
  EXPECT_FALSE(validator_.Validate("RestApplicationProperties", wrong_name).empty());
  auto wrong_type = boost::json::parse(R"({"version":"1","buildNumber":1,"buildDate":"1","displayName":"B"})");
  EXPECT_FALSE(validator_.Validate("RestApplicationProperties", wrong_type).empty());
}

TEST_F(SchemaTest, ApplicationProperties) {
  ExpectFits("RestApplicationProperties", Json(emulator_.Send("GET", "/rest/api/1.0/application-properties")));
}

TEST_F(SchemaTest, ProjectsAndRepositories) {
  ExpectFits("RestProject", Json(emulator_.Send("GET", "/rest/api/1.0/projects/INFRA")));
  ExpectPageOf("RestProject", Json(emulator_.Send("GET", "/rest/api/1.0/projects")));
  ExpectFits("RestRepository", Json(emulator_.Send("GET", "/rest/api/1.0/projects/INFRA/repos/tf-network")));
  ExpectPageOf("RestRepository", Json(emulator_.Send("GET", "/rest/api/1.0/projects/INFRA/repos")));
  ExpectPageOf("RestRepository", Json(emulator_.Send("GET", "/rest/api/1.0/repos")));
}

TEST_F(SchemaTest, Users) {
  ExpectFits("RestApplicationUser", Json(emulator_.Send("GET", "/rest/api/1.0/users/admin")));
  ExpectPageOf("RestApplicationUser", Json(emulator_.Send("GET", "/rest/api/1.0/users")));
}

TEST_F(SchemaTest, Webhooks) {
  const std::string hooks = "/rest/api/1.0/projects/INFRA/repos/tf-network/webhooks";
  auto created = Json(emulator_.Send("POST", hooks, R"({"name":"n","url":"https://x.example","events":["pr:merged"],
      "configuration":{"secret":"s"},"credentials":{"username":"u","password":"p"}})"));
  ExpectFits("RestWebhook", created);
  ExpectFits("RestWebhook", Json(emulator_.Send("GET", hooks + "/" + std::to_string(created.at("id").as_int64()))));
  ExpectPageOf("RestWebhook", Json(emulator_.Send("GET", hooks)));
  ExpectPageOf("RestWebhook", Json(emulator_.Send("GET", hooks + "/search")));
  ExpectFits("RestWebhook", Json(emulator_.Send("POST", "/rest/api/1.0/projects/INFRA/webhooks",
                                                 R"({"name":"p","url":"https://x.example"})")));
}

TEST_F(SchemaTest, AccessTokens) {
  const std::string tokens = "/rest/access-tokens/1.0/users/admin";
  auto created = Json(emulator_.Send("PUT", tokens, R"({"name":"t","permissions":["REPO_READ"],"expiryDays":30})"));
  ExpectFits("RestRawAccessToken", created);
  std::string id(created.at("id").as_string());
  emulator_.Send("GET", "/rest/api/1.0/projects", "", BearerAuth(std::string(created.at("token").as_string())));
  auto read = Json(emulator_.Send("GET", tokens + "/" + id));
  ExpectFits("RestAccessToken", read);
  EXPECT_TRUE(read.as_object().contains("lastAuthenticated"));
  ExpectPageOf("RestAccessToken", Json(emulator_.Send("GET", tokens)));
  auto repo_token = Json(emulator_.Send("PUT", "/rest/access-tokens/latest/projects/INFRA/repos/tf-network",
                                        R"({"name":"r","permissions":["REPO_WRITE"]})"));
  ExpectFits("RestRawAccessToken", repo_token);
}

TEST_F(SchemaTest, ErrorEnvelopes) {
  ExpectFits("RestErrors", Json(emulator_.Send("GET", "/rest/api/1.0/projects/NOPE")));
  ExpectFits("RestErrors", Json(emulator_.Send("GET", "/rest/api/1.0/projects", "", "")));
  ExpectFits("RestErrors", Json(emulator_.Send("POST", "/rest/api/1.0/projects/INFRA/repos/tf-network/webhooks",
                                                R"({"name":"n","url":"https://x","events":["bad"]})")));
}

}  // namespace
}  // namespace stashform::emulator::testing
