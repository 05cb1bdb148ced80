// bitbucket.oauth2_client against the emulator over HTTP (both sides read an UNCONFIRMED API).

#include "tests/modules/bitbucket/live_server.h"

namespace stashform::bitbucket {
namespace {

using provider::ApplyAction;

TEST(OAuth2ClientEmulatorTest, CreateReadUpdateImportDelete) {
  LiveServer live;
  auto server = live.Connect();
  auto* type = server->Resource("bitbucket.oauth2_client");
  Value::Map planned{{"name", Value("gitpod")},
                     {"redirect_urls", Value::StringList({"https://gitpod.example/auth/bitbucket/callback"})},
                     {"scope", Value::StringList({"REPO_WRITE", "PUBLIC_REPOS"})}};
  auto created = type->Apply({ApplyAction::kCreate, "", {}, planned});
  EXPECT_NO_DIAGNOSTICS(created);
  EXPECT_FALSE(created.private_data.at("client_secret").as_string().empty());
  EXPECT_EQ(created.attributes.at("client_id"), Value(created.id));

  auto read = type->Read({created.id, created.attributes});
  ASSERT_FALSE(read.gone);
  EXPECT_TRUE(Value::SetEqual(read.attributes.at("scope"), planned.at("scope")));
  EXPECT_EQ(read.attributes.at("redirect_urls"), planned.at("redirect_urls"));

  planned["scope"] = Value::StringList({"REPO_READ"});
  EXPECT_NO_DIAGNOSTICS(type->Apply({ApplyAction::kUpdate, created.id, read.attributes, planned}));
  EXPECT_EQ(type->Read({created.id, read.attributes}).attributes.at("scope"), Value::StringList({"REPO_READ"}));

  EXPECT_EQ(type->Import("gitpod").id, created.id);
  EXPECT_TRUE(type->Import(created.id).found);
  EXPECT_NO_DIAGNOSTICS(type->Apply({ApplyAction::kDelete, created.id, read.attributes, {}}));
  EXPECT_TRUE(type->Read({created.id, read.attributes}).gone);
}

TEST(OAuth2ClientEmulatorTest, ANonAdminGetsTheServersRefusalNamingTheCall) {
  LiveServer live;
  auto server = live.Connect();
  (void)server;
  BitbucketProvider provider([](const http::ClientOptions& o) { return std::make_unique<http::CurlHttpClient>(o); });
  auto viewer = provider.Configure("corp", {{"url", Value(live.url())}, {"username", Value("viewer")}, {"password", Value("viewer")}});
  ASSERT_TRUE(viewer.ok());
  auto denied = (*viewer)->Resource("bitbucket.oauth2_client")
                    ->Apply({ApplyAction::kCreate, "", {},
                             {{"name", Value("x")}, {"redirect_urls", Value::StringList({"https://x.example/cb"})},
                              {"scope", Value::StringList({"REPO_READ"})}}});
  ASSERT_TRUE(denied.diagnostics.HasErrors());
  EXPECT_EQ(denied.diagnostics.items()[0].message.rfind("POST " + live.url() + "/rest/oauth2/latest/client: 401", 0), 0u)
      << denied.diagnostics.items()[0].message;
}

}  // namespace
}  // namespace stashform::bitbucket
