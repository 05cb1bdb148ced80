#include "tests/integration/webhook_config_fixture.h"

namespace stashform::testing {

WebhookConfigTest::WebhookConfigTest(const char* config, const std::string& webhook_secret)
    : bitbucket(SeedWithRepositories({"tf-network", "tf-dns"})) {
  work.Write("main.lua", config);
  env = {{"BITBUCKET_URL", bitbucket.url()}, {"BITBUCKET_PASSWORD", "admin"}, {"WEBHOOK_SECRET", webhook_secret}};
}

CliRun WebhookConfigTest::Stashform(std::vector<std::string> args, bool with_dir) {
  if (with_dir) args.push_back(work.path());
  CliRun run = RunStashform(args, env, work.path());
  transcript += run.all();
  return run;
}

}  // namespace stashform::testing
