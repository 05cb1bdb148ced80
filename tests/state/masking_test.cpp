#include "state/masking.h"

#include <gtest/gtest.h>

#include "tests/state/test_support.h"

namespace stashform::state {
namespace {

TEST(MaskSensitive, HidesEverySecretOfAStateButKeepsTheRest) {
  State masked = MaskSensitive(testing::SampleState());
  std::string text = EncodeState(masked);
  for (const std::string secret : {"hunter2-webhook-secret", "pa55-credential", "private-token-value", "out-secret"})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  const ResourceState& hook = masked.resources[0];
  EXPECT_EQ(hook.attributes.at("secret").as_string(), "(sensitive)");
  EXPECT_TRUE(hook.attributes.at("secret").sensitive());
  EXPECT_EQ(hook.attributes.at("credentials").as_map().at("user").as_string(), "ci");
  EXPECT_EQ(hook.attributes.at("url").as_string(), "https://ci/hook");
  EXPECT_EQ(masked.outputs.at("hook_url").as_string(), "https://ci/hook");
}

}  // namespace
}  // namespace stashform::state
