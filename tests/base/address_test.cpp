#include <gtest/gtest.h>

#include "base/address.h"

namespace stashform {
namespace {

TEST(ResourceAddress, PrintsTypeAndQuotedName) {
  EXPECT_EQ((ResourceAddress{"", "bitbucket.webhook", "INFRA/api"}).ToString(), "bitbucket.webhook[\"INFRA/api\"]");
  EXPECT_EQ((ResourceAddress{"spl", "bitbucket.webhook", "a"}).ToString(), "module.spl.bitbucket.webhook[\"a\"]");
}

TEST(ResourceAddress, ParsesWhatItPrints) {
  for (const ResourceAddress& a : {ResourceAddress{"", "bitbucket.webhook", "INFRA/api"},
                                   ResourceAddress{"spacelift", "bitbucket.webhook", "say \"hi\""},
                                   ResourceAddress{"", "spacelift.stack_binding", "tf-network"}}) {
    auto parsed = ResourceAddress::Parse(a.ToString());
    ASSERT_TRUE(parsed.has_value()) << a.ToString();
    EXPECT_EQ(*parsed, a);
  }
}

TEST(ResourceAddress, RejectsWhatIsNotAnAddress) {
  EXPECT_FALSE(ResourceAddress::Parse("webhook").has_value());
  EXPECT_FALSE(ResourceAddress::Parse("bitbucket.webhook[api]").has_value());
  EXPECT_FALSE(ResourceAddress::Parse("webhook[\"a\"]").has_value());
}

}  // namespace
}  // namespace stashform
