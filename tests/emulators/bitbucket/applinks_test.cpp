// Application links (applinks 3.0, applinks-oauth consumer) and OAuth 2.0 clients.
#include "tests/emulators/bitbucket/harness.h"

#include <gtest/gtest.h>

namespace stashform::emulator::testing {
namespace {

const std::string kCreate = "/rest/applinks/3.0/applicationlink";
const std::string kLink = R"({"id":null,"name":"Terraform","rpcUrl":"https://tfe.example","displayUrl":"https://tfe.example","typeId":"generic"})";

std::string CreateLink(Harness& emulator) {
  auto result = emulator.Send("PUT", kCreate, kLink);
  EXPECT_EQ(result->status, 201) << result->body;
  std::string href(Json(result).at("resources-created").at(0).at("href").as_string());
  return href.substr(href.rfind('/') + 1);
}

TEST(BitbucketApplinks, CreateListGetAndDelete) {
  Harness emulator;
  std::string id = CreateLink(emulator);
  auto list = Json(emulator.Send("GET", "/rest/applinks/3.0/applinks"));
  ASSERT_TRUE(list.is_array());
  ASSERT_EQ(list.as_array().size(), 1u);
  EXPECT_EQ(list.at(0).at("id").as_string(), id);
  EXPECT_EQ(list.at(0).at("type").as_string(), "generic");
  EXPECT_EQ(list.at(0).at("rpcUrl").as_string(), "https://tfe.example");
  auto one = Json(emulator.Send("GET", kCreate + "/" + id));
  EXPECT_EQ(one.at("name").as_string(), "Terraform");
  EXPECT_EQ(emulator.Send("DELETE", kCreate + "/" + id)->status, 200);
  EXPECT_EQ(emulator.Send("GET", kCreate + "/" + id)->status, 404);
  std::string again = CreateLink(emulator);
  EXPECT_EQ(emulator.Send("DELETE", "/rest/applinks/3.0/applinks/" + again)->status, 204);
}

TEST(BitbucketApplinks, ValidationDuplicatesAndPermissions) {
  Harness emulator;
  EXPECT_EQ(emulator.Send("PUT", kCreate, R"({"name":"x","rpcUrl":"ftp://x"})")->status, 400);
  EXPECT_EQ(emulator.Send("PUT", kCreate, R"({"rpcUrl":"https://x"})")->status, 400);
  EXPECT_EQ(emulator.Send("PUT", kCreate, R"({"name":"x","rpcUrl":"https://x","typeId":"nope"})")->status, 400);
  CreateLink(emulator);
  EXPECT_EQ(emulator.Send("PUT", kCreate, kLink)->status, 409);
  EXPECT_EQ(emulator.Send("GET", "/rest/applinks/3.0/applinks", "", BasicAuth("reader", "reader-pw"))->status, 401);
  EXPECT_EQ(emulator.Send("GET", "/rest/applinks/3.0/applinks", "", "")->status, 401);
}

TEST(BitbucketApplinks, IncomingOAuthConsumerCanBeSetReadAndRemoved) {
  Harness emulator;
  std::string id = CreateLink(emulator);
  std::string consumer = "/rest/applinks-oauth/1.0/applicationlink/" + id + "/authentication/consumer";
  EXPECT_EQ(emulator.Send("GET", consumer)->status, 404);
  auto put = emulator.Send("PUT", consumer, R"({"key":"tfe","name":"TFE","description":null,"sharedSecret":null,
      "publicKey":"MIIBIjANBgkq","outgoing":false,"twoLOAllowed":false})");
  EXPECT_EQ(put->status, 201);
  auto read = Json(emulator.Send("GET", consumer));
  EXPECT_EQ(read.at("key").as_string(), "tfe");
  EXPECT_EQ(read.at("publicKey").as_string(), "MIIBIjANBgkq");
  EXPECT_EQ(emulator.Send("PUT", consumer, R"({"key":"tfe"})")->status, 400) << "needs a public key or secret";
  EXPECT_EQ(emulator.Send("DELETE", consumer)->status, 204);
  EXPECT_EQ(emulator.Send("PUT", "/rest/applinks-oauth/1.0/applicationlink/nope/authentication/consumer",
                          R"({"key":"k","publicKey":"p"})")->status,
            404);
}

TEST(BitbucketApplinks, AdminApiDeletesALinkOutOfBand) {
  Harness emulator;
  std::string id = CreateLink(emulator);
  EXPECT_EQ(Json(emulator.Send("GET", "/_emulator/dump", "", "")).at("applicationLinks").as_array().size(), 1u);
  EXPECT_EQ(emulator.Send("DELETE", "/_emulator/applinks/" + id, "", "")->status, 204);
  EXPECT_TRUE(Json(emulator.Send("GET", "/rest/applinks/3.0/applinks")).as_array().empty());
}

const std::string kClients = "/rest/oauth2/latest/client";
const std::string kClient = R"({"name":"gitpod","scope":"REPO_READ PUBLIC_REPOS","redirects":["https://gitpod.example/cb"]})";

TEST(BitbucketOAuth2Clients, CreateGeneratesIdAndSecret) {
  Harness emulator;
  auto result = emulator.Send("POST", kClients, kClient);
  ASSERT_EQ(result->status, 201);
  auto client = Json(result);
  EXPECT_FALSE(client.at("clientId").as_string().empty());
  EXPECT_FALSE(client.at("clientSecret").as_string().empty());
  EXPECT_EQ(client.at("redirects").at(0).as_string(), "https://gitpod.example/cb");
  std::string path = kClients + "/" + std::string(client.at("clientId").as_string());
  EXPECT_EQ(Json(emulator.Send("GET", path)).at("name").as_string(), "gitpod");
  EXPECT_EQ(Json(emulator.Send("GET", kClients)).as_array().size(), 1u);
  auto updated = emulator.Send("PUT", path, R"({"name":"gitpod2","scope":"REPO_WRITE","redirects":["https://g/cb"]})");
  ASSERT_EQ(updated->status, 200);
  EXPECT_EQ(Json(updated).at("clientSecret"), client.at("clientSecret"));
  EXPECT_EQ(emulator.Send("DELETE", path)->status, 204);
  EXPECT_EQ(emulator.Send("GET", path)->status, 404);
}

TEST(BitbucketOAuth2Clients, ScopesRedirectsAndAdminAreChecked) {
  Harness emulator;
  EXPECT_EQ(emulator.Send("POST", kClients, R"({"name":"x","scope":"EVERYTHING","redirects":["https://x"]})")->status, 400);
  EXPECT_EQ(emulator.Send("POST", kClients, R"({"name":"x","scope":"REPO_READ","redirects":[]})")->status, 400);
  EXPECT_EQ(emulator.Send("POST", kClients, R"({"name":"x","scope":"REPO_READ","redirects":["javascript:x"]})")->status, 400);
  EXPECT_EQ(emulator.Send("POST", kClients, kClient, BasicAuth("reader", "reader-pw"))->status, 401)
      << "non-admins get 401, the one evidenced behaviour";
}

}  // namespace
}  // namespace stashform::emulator::testing
