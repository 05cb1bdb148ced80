// bitbucket.application_link against the emulator over HTTP.

#include "tests/modules/bitbucket/live_server.h"

namespace stashform::bitbucket {
namespace {

using provider::ApplyAction;

TEST(ApplicationLinkEmulatorTest, CreateWithGeneratedKeysReadUpdateImportDelete) {
  LiveServer live;
  auto server = live.Connect();
  auto* type = server->Resource("bitbucket.application_link");
  Value::Map planned{{"name", Value("tfe")}, {"rpc_url", Value("https://tfe.example")},
                     {"consumer_key", Value("tfe-key")}, {"generate_key_pair", Value(true)}};
  auto plan = type->Plan({true, {}, planned});
  EXPECT_NO_DIAGNOSTICS(plan);
  auto created = type->Apply({ApplyAction::kCreate, "", {}, plan.planned});
  EXPECT_NO_DIAGNOSTICS(created);
  ASSERT_FALSE(created.id.empty());
  EXPECT_TRUE(created.private_data.at("private_key_pem").sensitive());

  auto read = type->Read({created.id, created.attributes});
  ASSERT_FALSE(read.gone);
  EXPECT_EQ(read.attributes.at("consumer_key"), Value("tfe-key"));
  EXPECT_EQ(read.attributes.at("public_key_pem"), created.attributes.at("public_key_pem"));
  EXPECT_EQ(read.attributes.at("display_url"), Value("https://tfe.example"));

  planned["consumer_key"] = Value("tfe-key-2");
  planned["public_key_pem"] = read.attributes.at("public_key_pem");
  EXPECT_NO_DIAGNOSTICS(type->Apply({ApplyAction::kUpdate, created.id, read.attributes, planned}));
  EXPECT_EQ(type->Read({created.id, read.attributes}).attributes.at("consumer_key"), Value("tfe-key-2"));

  EXPECT_EQ(type->Import("tfe").id, created.id);
  EXPECT_EQ(type->Import(created.id).attributes.at("consumer_key"), Value("tfe-key-2"));
  EXPECT_NO_DIAGNOSTICS(type->Apply({ApplyAction::kDelete, created.id, read.attributes, {}}));
  EXPECT_TRUE(type->Read({created.id, read.attributes}).gone);
}

TEST(ApplicationLinkEmulatorTest, ATokenCannotManageLinks) {
  LiveServer live;
  auto admin = live.Connect();
  auto token = admin->Resource("bitbucket.access_token")
                   ->Apply({ApplyAction::kCreate, "", {},
                            {{"user", Value("admin")}, {"name", Value("t")},
                             {"permissions", Value::StringList({"PROJECT_ADMIN", "REPO_ADMIN"})}}});
  EXPECT_NO_DIAGNOSTICS(token);
  auto with_token = live.Connect(token.private_data.at("token").as_string());
  auto denied = with_token->Resource("bitbucket.application_link")
                    ->Apply({ApplyAction::kCreate, "", {},
                             {{"name", Value("x")}, {"rpc_url", Value("https://x.example")},
                              {"consumer_key", Value("k")}, {"public_key", Value("MIIBIjAN")}}});
  ASSERT_TRUE(denied.diagnostics.HasErrors());
  EXPECT_EQ(denied.diagnostics.items()[0].message.rfind("PUT " + live.url() + "/rest/applinks/3.0/applicationlink: 401", 0), 0u)
      << denied.diagnostics.items()[0].message;
}

}  // namespace
}  // namespace stashform::bitbucket
