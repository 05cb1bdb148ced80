// The Packagist provider as the CLI configures it: what a server made from an account block says
// while it waits on a job.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "modules/packagist/provider.h"
#include "modules/packagist/vcs_package.h"
#include "tests/support/fake_http_client.h"

namespace stashform::packagist {
namespace {

using http::FakeHttpClient;

constexpr const char* kBase = "http://packagist.test";

// A job poll's line goes through the HTTP client to where its own "still waiting" lines go (the
// command's error stream, locked and clearing a half-drawn progress line), not straight to stderr.
TEST(PackagistProvider, AJobWaitIsReportedThroughTheServersHttpClient) {
  FakeHttpClient script;
  auto provider =
      MakePackagistProvider([&](const http::ClientOptions&) { return std::make_unique<http::ForwardingHttpClient>(script); });
  auto server = provider->Configure("main", {{"url", Value(kBase)},
                                             {"api_key", Value("packagist_ack_key")},
                                             {"api_secret", Value("packagist_acs_secret")}});
  ASSERT_TRUE(server.ok()) << server.message();
  script.On("POST", std::string(kBase) + "/api/packages/", FakeHttpClient::Reply(201, R"({"id":"job-3","status":"queued"})"));
  script.Enqueue("GET", std::string(kBase) + "/api/jobs/job-3", FakeHttpClient::Reply(200, R"({"id":"job-3","status":"queued"})"));
  script.On("GET", std::string(kBase) + "/api/jobs/job-3",
            FakeHttpClient::Reply(200, R"({"id":"job-3","status":"success","packageName":"infra/api"})"));
  script.On("GET", std::string(kBase) + "/api/packages/infra/api/",
            FakeHttpClient::Reply(200, R"({"name":"infra/api","repoType":"vcs","repoUrl":"https://bb.test/scm/infra/api.git"})"));

  auto applied = (*server)->Resource(VcsPackageSchema().type)->Apply(
      {provider::ApplyAction::kCreate, "", {}, {{"repo_url", Value("https://bb.test/scm/infra/api.git")}}});

  ASSERT_FALSE(applied.diagnostics.HasErrors()) << applied.diagnostics.ToString();
  const std::vector<std::string> lines = script.waiting_lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("packagist: adding package https://bb.test/scm/infra/api.git: job job-3 queued (poll 1, ", 0), 0u)
      << lines[0];
}

}  // namespace
}  // namespace stashform::packagist
