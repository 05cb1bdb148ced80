#include "state/state_commands.h"

#include <gtest/gtest.h>

#include "tests/state/test_support.h"

namespace stashform::state {
namespace {

using testing::SampleState;
using testing::SampleWebhook;
using testing::Webhook;

TEST(MoveResource, RenamesTheResourceAndTheDependenciesNamingIt) {
  State state = SampleState();
  ResourceState dependent = SampleWebhook("INFRA/web");
  dependent.dependencies = {Webhook("INFRA/api").ToString()};
  state.Upsert(dependent);
  ResourceAddress into_module{"ci", "bitbucket.webhook", "INFRA/api"};
  ASSERT_TRUE(MoveResource(state, Webhook("INFRA/api"), into_module).ok());
  EXPECT_EQ(state.Find(Webhook("INFRA/api")), nullptr);
  ASSERT_NE(state.Find(into_module), nullptr);
  EXPECT_EQ(state.Find(into_module)->id, "7");
  EXPECT_EQ(state.Find(Webhook("INFRA/web"))->dependencies,
            std::vector<std::string>{"module.ci.bitbucket.webhook[\"INFRA/api\"]"});
}

TEST(MoveResource, RefusesMissingSourceOccupiedTargetAndAnotherType) {
  State state = SampleState();
  state.Upsert(SampleWebhook("INFRA/web"));
  EXPECT_EQ(MoveResource(state, Webhook("nope"), Webhook("x")).message(),
            "no resource bitbucket.webhook[\"nope\"] in the state");
  EXPECT_EQ(MoveResource(state, Webhook("INFRA/api"), Webhook("INFRA/web")).message(),
            "cannot move to bitbucket.webhook[\"INFRA/web\"]: the state already has it");
  EXPECT_EQ(MoveResource(state, Webhook("INFRA/api"), {"", "bitbucket.project", "INFRA"}).message(),
            "cannot move bitbucket.webhook[\"INFRA/api\"] to bitbucket.project[\"INFRA\"]: the type differs "
            "(bitbucket.webhook is not bitbucket.project)");
  EXPECT_EQ(state.resources.size(), 2u);
}

TEST(RemoveResources, RemovesAllOrNothing) {
  State state = SampleState();
  state.Upsert(SampleWebhook("INFRA/web"));
  EXPECT_EQ(RemoveResources(state, {Webhook("INFRA/web"), Webhook("gone")}).message(),
            "no resource bitbucket.webhook[\"gone\"] in the state; nothing was removed");
  EXPECT_EQ(state.resources.size(), 2u);
  ASSERT_TRUE(RemoveResources(state, {Webhook("INFRA/web"), Webhook("INFRA/api")}).ok());
  EXPECT_TRUE(state.resources.empty());
}

TEST(EncodeStateForPull, MasksSecretsUnlessAskedToShowThem) {
  State state = SampleState();
  EXPECT_EQ(EncodeStateForPull(state, false).find("hunter2-webhook-secret"), std::string::npos);
  EXPECT_NE(EncodeStateForPull(state, true).find("hunter2-webhook-secret"), std::string::npos);
}

}  // namespace
}  // namespace stashform::state
