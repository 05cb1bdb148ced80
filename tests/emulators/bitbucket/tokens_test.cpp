// HTTP access tokens: CRUD at three scopes, validation, and tokens as credentials.
#include "tests/emulators/bitbucket/harness.h"

#include "emulators/bitbucket/encoding.h"

#include <gtest/gtest.h>

namespace stashform::emulator::testing {
namespace {

const std::string kUserTokens = "/rest/access-tokens/1.0/users/admin";
const std::string kProjectTokens = "/rest/access-tokens/latest/projects/INFRA";
const std::string kRepoTokens = "/rest/access-tokens/latest/projects/INFRA/repos/tf-network";
const std::string kRepoHooks = "/rest/api/1.0/projects/INFRA/repos/tf-network/webhooks";
const std::string kHook = R"({"name":"h","url":"https://x.example","events":["repo:refs_changed"]})";

boost::json::value CreateToken(Harness& emulator, const std::string& path, const std::string& permissions,
                               const std::string& auth = AdminAuth()) {
  auto result = emulator.Send("PUT", path, R"({"name":"ci","permissions":)" + permissions + "}", auth);
  EXPECT_EQ(result->status, 200) << result->body;
  return Json(result);
}

std::string Secret(const boost::json::value& token) { return std::string(token.at("token").as_string()); }

TEST(BitbucketTokens, CreateAnswers200WithTheValueOnlyOnce) {
  Harness emulator;
  auto token = CreateToken(emulator, kUserTokens, R"(["PROJECT_READ","REPO_READ"])");
  std::string id(token.at("id").as_string());
  EXPECT_EQ(id.size(), 12u);
  EXPECT_TRUE(token.at("createdDate").is_int64());
  EXPECT_EQ(token.at("user").at("name").as_string(), "admin");
  auto decoded = Base64Decode(Secret(token));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->substr(0, id.size() + 1), id + ":") << "base64(id + ':' + 20 random bytes)";
  EXPECT_EQ(decoded->size(), id.size() + 1 + 20);
  auto read = Json(emulator.Send("GET", kUserTokens + "/" + id));
  EXPECT_FALSE(read.as_object().contains("token"));
  EXPECT_EQ(read.at("permissions").as_array().size(), 2u);
}

TEST(BitbucketTokens, PermissionsAreValidated) {
  Harness emulator;
  auto unknown = emulator.Send("PUT", kUserTokens, R"({"name":"t","permissions":["ACCOUNT_READ"]})");
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(ErrorMessage(unknown), "ACCOUNT_READ is not a valid permission");
  auto global = emulator.Send("PUT", kUserTokens, R"({"name":"t","permissions":["ADMIN"]})");
  EXPECT_EQ(ErrorMessage(global), "Tokens may not have the following permission: ADMIN");
  auto project_on_repo = emulator.Send("PUT", kRepoTokens, R"({"name":"t","permissions":["PROJECT_READ"]})");
  EXPECT_EQ(project_on_repo->status, 400);
  EXPECT_NE(ErrorMessage(project_on_repo).find("REPOSITORY scope"), std::string::npos);
  EXPECT_EQ(emulator.Send("PUT", kUserTokens, R"({"name":"t","permissions":[]})")->status, 400);
  EXPECT_EQ(emulator.Send("PUT", kUserTokens, R"({"permissions":["REPO_READ"]})")->status, 400);
  EXPECT_EQ(emulator.Send("PUT", kUserTokens, R"({"name":"t","permissions":["REPO_READ"],"expiryDays":0})")->status, 400);
}

TEST(BitbucketTokens, UpdateIsPartialAndDeleteAnswers204) {
  Harness emulator;
  auto token = CreateToken(emulator, kProjectTokens, R"(["PROJECT_READ"])");
  std::string path = kProjectTokens + "/" + std::string(token.at("id").as_string());
  auto renamed = emulator.Send("POST", path, R"({"name":"renamed"})");
  ASSERT_EQ(renamed->status, 200);
  EXPECT_EQ(Json(renamed).at("name").as_string(), "renamed");
  EXPECT_EQ(Json(renamed).at("permissions").as_array(), (boost::json::array{"PROJECT_READ"}));
  EXPECT_EQ(emulator.Send("POST", path, R"({"permissions":["NOPE"]})")->status, 400);
  EXPECT_EQ(emulator.Send("DELETE", path)->status, 204);
  EXPECT_EQ(emulator.Send("GET", path)->status, 404);
}

TEST(BitbucketTokens, ListsArePagedPerOwner) {
  Harness emulator;
  CreateToken(emulator, kRepoTokens, R"(["REPO_READ"])");
  CreateToken(emulator, kRepoTokens, R"(["REPO_WRITE"])");
  CreateToken(emulator, kProjectTokens, R"(["PROJECT_READ"])");
  auto page = Json(emulator.Send("GET", kRepoTokens + "?limit=1"));
  EXPECT_EQ(page.at("size").as_int64(), 1);
  EXPECT_FALSE(page.at("isLastPage").as_bool());
  EXPECT_EQ(Json(emulator.Send("GET", kProjectTokens)).at("size").as_int64(), 1);
}

TEST(BitbucketTokens, UnknownOwnersGive404AndOthersTokensGive401) {
  Harness emulator;
  EXPECT_EQ(emulator.Send("GET", "/rest/access-tokens/1.0/users/ghost")->status, 404);
  EXPECT_EQ(emulator.Send("GET", "/rest/access-tokens/1.0/projects/NOPE")->status, 404);
  EXPECT_EQ(emulator.Send("GET", kUserTokens + "/123456789012")->status, 404);
  EXPECT_EQ(emulator.Send("GET", kUserTokens, "", BasicAuth("reader", "reader-pw"))->status, 401);
  EXPECT_EQ(emulator.Send("PUT", kProjectTokens, R"({"name":"t","permissions":["PROJECT_READ"]})",
                          BasicAuth("reader", "reader-pw"))->status,
            401);
}

TEST(BitbucketTokens, UserTokensWorkAsBearerAndAsTheBasicPassword) {
  Harness emulator;
  auto token = CreateToken(emulator, "/rest/access-tokens/1.0/users/repo-admin", R"(["REPO_ADMIN"])",
                           BasicAuth("repo-admin", "ra-pw"));
  auto bearer = emulator.Send("GET", kRepoHooks, "", BearerAuth(Secret(token)));
  EXPECT_EQ(bearer->status, 200);
  EXPECT_EQ(bearer->get_header_value("X-AUSERNAME"), "repo-admin");
  EXPECT_EQ(emulator.Send("GET", kRepoHooks, "", BasicAuth("repo-admin", Secret(token)))->status, 200);
  EXPECT_EQ(emulator.Send("GET", kRepoHooks, "", BasicAuth("admin", Secret(token)))->status, 401)
      << "a personal token is the password of its owner only";
}

TEST(BitbucketTokens, ProjectAndRepositoryTokensWorkOnlyAsBearer) {
  Harness emulator;
  auto token = CreateToken(emulator, kRepoTokens, R"(["REPO_ADMIN"])");
  EXPECT_EQ(emulator.Send("GET", kRepoHooks, "", BearerAuth(Secret(token)))->status, 200);
  EXPECT_EQ(emulator.Send("GET", kRepoHooks, "", BasicAuth("admin", Secret(token)))->status, 401);
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/projects/INFRA/repos/tf-dns/webhooks", "", BearerAuth(Secret(token)))->status,
            401)
      << "a repository token reaches its own repository only";
}

TEST(BitbucketTokens, PermissionsAreEnforcedReadTokenCannotCreateWebhooks) {
  Harness emulator;
  auto reader = CreateToken(emulator, kUserTokens, R"(["REPO_READ"])");
  EXPECT_EQ(emulator.Send("GET", "/rest/api/1.0/projects/INFRA/repos/tf-network", "", BearerAuth(Secret(reader)))->status, 200);
  EXPECT_EQ(emulator.Send("POST", kRepoHooks, kHook, BearerAuth(Secret(reader)))->status, 401);
  auto admin = CreateToken(emulator, kProjectTokens, R"(["PROJECT_ADMIN"])");
  EXPECT_EQ(emulator.Send("POST", kRepoHooks, kHook, BearerAuth(Secret(admin)))->status, 201);
}

TEST(BitbucketTokens, TokensCannotManageTokens) {
  Harness emulator;
  auto token = CreateToken(emulator, kUserTokens, R"(["PROJECT_ADMIN","REPO_ADMIN"])");
  EXPECT_EQ(emulator.Send("PUT", kUserTokens, R"({"name":"t","permissions":["REPO_READ"]})", BearerAuth(Secret(token)))->status,
            401);
}

TEST(BitbucketTokens, RevokedAndExpiredTokensNoLongerAuthenticate) {
  Harness emulator;
  auto revoked = CreateToken(emulator, kUserTokens, R"(["REPO_READ"])");
  auto expired = CreateToken(emulator, kUserTokens, R"(["REPO_READ"])");
  const std::string probe = "/rest/api/1.0/projects/INFRA";
  ASSERT_EQ(emulator.Send("GET", probe, "", BearerAuth(Secret(expired)))->status, 200);
  EXPECT_EQ(emulator.Send("DELETE", "/_emulator/tokens/" + std::string(revoked.at("id").as_string()), "", "")->status, 204);
  EXPECT_EQ(emulator.Send("GET", probe, "", BearerAuth(Secret(revoked)))->status, 401);
  EXPECT_EQ(emulator.Send("PATCH", "/_emulator/tokens/" + std::string(expired.at("id").as_string()),
                          R"({"expiryDays":1,"createdDate":1000})", "")->status,
            200);
  EXPECT_EQ(emulator.Send("GET", probe, "", BearerAuth(Secret(expired)))->status, 401);
}

}  // namespace
}  // namespace stashform::emulator::testing
