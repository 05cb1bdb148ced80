// bitbucket.access_token against the emulator over HTTP: every scope, revoke, expiry, rotation.

#include "tests/modules/bitbucket/live_server.h"

#include "modules/bitbucket/access_token.h"

namespace stashform::bitbucket {
namespace {

using provider::ApplyAction;

Value::Map Token(Value::Map owner, Value::List permissions) {
  owner["name"] = Value("ci");
  owner["permissions"] = Value(std::move(permissions));
  owner["expiry_days"] = Value(90);
  owner["rotate_before_days"] = Value(10);
  return owner;
}

TEST(AccessTokenEmulatorTest, CreateReadUpdateImportDeleteAtEveryScope) {
  LiveServer live;
  auto server = live.Connect();
  auto* type = server->Resource("bitbucket.access_token");
  struct Case {
    Value::Map owner;
    std::string import_prefix;
  };
  for (const auto& [owner, prefix] : std::vector<Case>{
           {{{"user", Value("admin")}}, "users/admin/"},
           {{{"project", Value("INFRA")}}, "projects/INFRA/"},
           {{{"project", Value("INFRA")}, {"repository", Value("api")}}, "projects/INFRA/repos/api/"}}) {
    Value::Map planned = Token(owner, {Value("REPO_READ")});
    ASSERT_FALSE(type->Plan({true, {}, planned}).diagnostics.HasErrors()) << prefix;
    auto created = type->Apply({ApplyAction::kCreate, "", {}, planned});
    EXPECT_NO_DIAGNOSTICS(created);
    EXPECT_FALSE(created.private_data.at("token").as_string().empty());
    auto read = type->Read({created.id, created.attributes});
    ASSERT_FALSE(read.gone) << prefix;
    EXPECT_TRUE(read.notes.empty());
    EXPECT_EQ(read.attributes.at("expiry_days"), Value(90));

    planned["permissions"] = Value::StringList({"REPO_WRITE"});
    planned["name"] = Value("ci-2");
    EXPECT_NO_DIAGNOSTICS(type->Apply({ApplyAction::kUpdate, created.id, read.attributes, planned}));
    auto updated = type->Read({created.id, read.attributes});
    EXPECT_EQ(updated.attributes.at("name"), Value("ci-2"));
    EXPECT_EQ(updated.attributes.at("permissions"), Value::StringList({"REPO_WRITE"}));

    EXPECT_EQ(type->Import(prefix + "ci-2").id, created.id);
    EXPECT_EQ(type->Import(prefix + created.id).id, created.id);
    EXPECT_NO_DIAGNOSTICS(type->Apply({ApplyAction::kDelete, created.id, updated.attributes, {}}));
    EXPECT_TRUE(type->Read({created.id, updated.attributes}).gone) << prefix;
  }
}

TEST(AccessTokenEmulatorTest, ARevokedTokenIsGoneAndOneNearExpiryIsReplaced) {
  LiveServer live;
  auto server = live.Connect();
  auto* type = server->Resource("bitbucket.access_token");
  Value::Map planned = Token({{"user", Value("admin")}}, {Value("PROJECT_READ"), Value("REPO_READ")});
  auto first = type->Apply({ApplyAction::kCreate, "", {}, planned});
  EXPECT_NO_DIAGNOSTICS(first);
  EXPECT_EQ(live.emulator().Admin("DELETE", "/_emulator/tokens/" + first.id).status, 204);
  EXPECT_TRUE(type->Read({first.id, first.attributes}).gone);

  auto second = type->Apply({ApplyAction::kCreate, "", {}, planned});
  EXPECT_NO_DIAGNOSTICS(second);
  // Created 85 days ago with 90 days of life: inside the 10-day rotation window.
  const int64_t created = SystemNowMillis() - 85LL * 24 * 3600 * 1000;
  EXPECT_EQ(live.emulator().Admin("PATCH", "/_emulator/tokens/" + second.id,
                                  "{\"createdDate\":" + std::to_string(created) + "}").status, 200);
  auto read = type->Read({second.id, second.attributes});
  ASSERT_FALSE(read.gone);
  EXPECT_EQ(read.notes, std::vector<std::string>{"token expires within rotate_before_days"});
  EXPECT_EQ(type->Plan({false, read.attributes, planned}).requires_replace, std::vector<std::string>{"rotate"});
}

TEST(AccessTokenEmulatorTest, ARepositoryTokenWithProjectPermissionIsRefusedBeforeAnyCall) {
  LiveServer live;
  auto server = live.Connect();
  auto plan = server->Resource("bitbucket.access_token")
                  ->Plan({true, {}, Token({{"project", Value("INFRA")}, {"repository", Value("api")}},
                                          {Value("PROJECT_READ")})});
  EXPECT_TRUE(plan.diagnostics.HasErrors());
}

}  // namespace
}  // namespace stashform::bitbucket
