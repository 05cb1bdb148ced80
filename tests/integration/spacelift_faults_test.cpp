// Story (h) of issue 15: the stories again while both emulators answer some requests with 503 and
// add latency, for several fault seeds. Every repair still takes one apply: 503 proves the server
// did not act, so even creates are retried.

#include "tests/integration/spacelift_stories.h"

namespace stashform::testing {
namespace {

std::vector<std::string> FaultFlags(int seed) {
  return {"--error-rate", "503=0.1", "--jitter-ms", "20", "--fault-seed", std::to_string(seed)};
}

class SpaceliftUnderFaults : public SpaceliftStory, public ::testing::WithParamInterface<int> {
 protected:
  SpaceliftUnderFaults() : SpaceliftStory(FaultFlags(GetParam()), FaultFlags(GetParam())) {}

  void RepairInOneApply(const std::string& story, const std::vector<std::string>& extra = {}) {
    SCOPED_TRACE(story);
    std::vector<std::string> args = {"apply", "-auto-approve"};
    args.insert(args.end(), extra.begin(), extra.end());
    CliRun apply = Stashform(args);
    ASSERT_EQ(apply.exit_code, 0) << apply.all();
    ExpectRepaired("corp-bitbucket");
  }

  std::string HookId(size_t index) {
    return std::to_string(bitbucket.Webhooks().at(index).at("id").to_number<int64_t>());
  }
};

TEST_P(SpaceliftUnderFaults, EveryStoryIsRepairedByOneApply) {
  RepairInOneApply("the guide from nothing");
  ASSERT_EQ(spacelift.Admin("DELETE", "/_emulator/integrations/corp-bitbucket").status, 200);
  RepairInOneApply("(a) integration deleted");
  ASSERT_EQ(spacelift.Admin("PATCH", "/_emulator/integrations/corp-bitbucket", R"({"name":"Corp Bitbucket UI"})").status,
            200);
  RepairInOneApply("(b) integration renamed by hand");
  ASSERT_EQ(spacelift.Admin("PATCH", "/_emulator/stacks/tf-dns", R"({"vcsIntegration":null})").status, 200);
  RepairInOneApply("(c) stack unbound");
  ASSERT_EQ(spacelift.Admin("PATCH", "/_emulator/stacks/tf-network", R"({"vcsIntegration":"other"})").status, 200);
  RepairInOneApply("(d) stack bound to another integration");
  ASSERT_EQ(bitbucket.Admin("DELETE", "/_emulator/webhooks/" + HookId(0)).status, 204);
  RepairInOneApply("(g) webhook deleted");
  RepairInOneApply("(f) -replace of the integration", {std::string("-replace=") + kIntegrationAddress});
}

INSTANTIATE_TEST_SUITE_P(Seeds, SpaceliftUnderFaults, ::testing::Values(3, 11, 29));

}  // namespace
}  // namespace stashform::testing
