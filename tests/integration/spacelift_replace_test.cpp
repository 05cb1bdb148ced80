// Story (f) of issue 15: a replacement of the integration whose new object has the same id (its
// name does not change) goes delete-first, and the same apply re-binds every stack and re-signs
// every webhook; nothing is left without an integration.

#include "tests/integration/spacelift_stories.h"

namespace stashform::testing {
namespace {

class SpaceliftReplace : public SpaceliftStory {};

TEST_F(SpaceliftReplace, AReplacedIntegrationWithTheSameNameGoesDeleteFirstAndRebindsEveryStackInOneApply) {
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  std::string old_secret = Secret("corp-bitbucket");
  const std::string replace = std::string("-replace=") + kIntegrationAddress;

  CliRun plan = Stashform({"plan", "-explain", replace});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find("# replaced delete-first: the new object has the same id \"corp-bitbucket\""),
            std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("secret: follows the re-created integration"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("integration: follows the re-created integration"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("changed in config"), std::string::npos) << plan.out;

  CliRun apply = Stashform({"apply", "-auto-approve", replace});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_EQ(apply.out.find("nothing to change after all"), std::string::npos) << apply.out;
  EXPECT_NE(Secret("corp-bitbucket"), old_secret);
  ExpectRepaired("corp-bitbucket");
}

TEST_F(SpaceliftReplace, AnIntegrationNoLongerDefaultIsReplacedDeleteFirstWithoutDetachingAStack) {
  env["STASHFORM_VAR_is_default"] = "true";
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  ExpectWired("corp-bitbucket");
  // The recipe turns create_before_destroy on for a non-default integration; the same id forbids it.
  env["STASHFORM_VAR_is_default"] = "false";
  CliRun plan = Stashform({"plan"});
  EXPECT_NE(plan.out.find("# replaced delete-first: the new object has the same id \"corp-bitbucket\""),
            std::string::npos) << plan.out;
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_FALSE(spacelift.Integration("corp-bitbucket").at("isDefault").as_bool());
  ExpectRepaired("corp-bitbucket");
}

TEST_F(SpaceliftReplace, AnIntegrationMadeDefaultIsReplacedAndItsStacksRebound) {
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0);
  env["STASHFORM_VAR_is_default"] = "true";
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_EQ(apply.out.find("nothing to change after all"), std::string::npos) << apply.out;
  EXPECT_TRUE(spacelift.Integration("corp-bitbucket").at("isDefault").as_bool());
  ExpectRepaired("corp-bitbucket");
}

}  // namespace
}  // namespace stashform::testing
