// The include rule (docs/architecture.md): reconciler -> dsl, state, modules -> base; the engine
// includes no platform; a platform includes neither the engine nor dsl; emulators include nothing
// of the client side. The first test reads the real tree; the rest pin the rule itself.

#include <fstream>

#include <gtest/gtest.h>

#include "tests/architecture/include_rules.h"

namespace stashform::architecture {
namespace {

TEST(IncludeDirection, EveryIncludeOfTheProductPointsTheRightWay) {
  const std::vector<IncludeViolation> violations = CheckIncludes(STASHFORM_SOURCE_DIR);
  std::string report;
  for (const IncludeViolation& violation : violations) report += Describe(violation) + "\n";
  EXPECT_TRUE(violations.empty()) << report;
}

struct Case {
  const char* from;
  const char* included;
  bool allowed;
};

TEST(IncludeDirection, RuleTable) {
  const Case cases[] = {
      {"state/codec.cpp", "base/value.h", true},
      {"state/codec.cpp", "state/state.h", true},
      {"state/codec.cpp", "dsl/config.h", false},
      {"state/codec.cpp", "reconciler/engine/plan.h", false},
      {"dsl/config.cpp", "modules/provider/provider.h", false},
      {"base/value.cpp", "state/state.h", false},
      {"base/value.cpp", "base/status.h", true},
      {"modules/provider/provider.h", "base/schema.h", true},
      {"modules/provider/provider.h", "modules/http/http_client.h", false},
      {"modules/http/curl_http_client.cpp", "modules/provider/provider.h", false},
      {"modules/bitbucket/webhook.cpp", "modules/provider/provider.h", true},
      {"modules/bitbucket/webhook.cpp", "modules/http/http_client.h", true},
      {"modules/bitbucket/webhook.cpp", "modules/resource_answers.h", true},
      {"modules/bitbucket/webhook.cpp", "modules/spacelift/api.h", false},
      {"modules/bitbucket/webhook.cpp", "reconciler/engine/plan.h", false},
      {"modules/bitbucket/webhook.cpp", "dsl/config.h", false},
      {"modules/bitbucket/webhook.cpp", "state/state.h", false},
      {"reconciler/engine/planner.cpp", "modules/provider/provider.h", true},
      {"reconciler/engine/planner.cpp", "modules/bitbucket/webhook.h", false},
      {"reconciler/engine/planner.cpp", "reconciler/cli/session.h", false},
      {"reconciler/engine/planner.cpp", "dsl/config.h", true},
      {"reconciler/cli/session.cpp", "modules/bitbucket/provider.h", true},
      {"reconciler/cli/session.cpp", "emulators/common/server.h", false},
      {"emulators/bitbucket/app.cpp", "emulators/common/router.h", true},
      {"emulators/bitbucket/app.cpp", "base/status.h", true},
      {"emulators/bitbucket/app.cpp", "modules/bitbucket/api.h", false},
      {"emulators/spacelift/app.cpp", "state/state.h", false},
      {"dsl/config.cpp", "tests/architecture/include_rules.h", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(!WhyForbidden(c.from, c.included, /*system_header=*/false).has_value(), c.allowed)
        << c.from << " -> " << c.included;
  }
}

TEST(IncludeDirection, OnlyModulesHttpIncludesCurl) {
  EXPECT_FALSE(WhyForbidden("modules/http/curl_http_client.cpp", "curl/curl.h", true));
  EXPECT_EQ(WhyForbidden("modules/bitbucket/api.cpp", "curl/curl.h", true),
            "only modules/http/ talks libcurl");
  EXPECT_FALSE(WhyForbidden("state/codec.cpp", "boost/json.hpp", true));
}

// One wrong include in a tree is found, named by file and line.
TEST(IncludeDirection, OneWrongIncludeIsReportedWithItsFileAndLine) {
  const auto root = std::filesystem::temp_directory_path() /
                    ("include_rules_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(root / "state");
  std::ofstream(root / "state" / "codec.cpp") << "#include \"state/state.h\"\n"
                                                 "#include \"base/value.h\"\n"
                                                 "#include \"reconciler/engine/plan.h\"\n";
  const std::vector<IncludeViolation> violations = CheckIncludes(root);
  std::filesystem::remove_all(root);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(Describe(violations[0]),
            "state/codec.cpp:3: includes \"reconciler/engine/plan.h\": "
            "state/ includes only base/ and itself");
}

// Fakes live in tests/support; no CMakeLists.txt of the product names that library.
TEST(Fakes, NoProductTargetLinksTheTestSupportLibrary) {
  const std::filesystem::path root = STASHFORM_SOURCE_DIR;
  int product_lists = 0;
  for (const char* folder : {"base", "dsl", "state", "modules", "reconciler", "emulators"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / folder)) {
      if (entry.path().filename() != "CMakeLists.txt" && entry.path().extension() != ".cmake") continue;
      ++product_lists;
      std::ifstream in(entry.path());
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      EXPECT_EQ(text.find("stashform_test_support"), std::string::npos) << entry.path();
    }
  }
  EXPECT_GT(product_lists, 5);
}

}  // namespace
}  // namespace stashform::architecture
