// The common router: how a path finds its handler, and how a miss tells 404 from 405.
#include "emulators/common/router.h"

#include <gtest/gtest.h>

namespace stashform::emulator {
namespace {

struct Context {
  std::string answered_by;
};
using TestRouter = BasicRouter<Context>;

TestRouter::Handler Named(const std::string& name) {
  return [name](Context& context) {
    context.answered_by = name;
    return EmptyResponse(200);
  };
}

std::string Answer(const TestRouter& router, const std::string& method, const std::string& path) {
  auto match = router.Find(method, DecodedSegments(path));
  if (!match) return "404";
  if (!match->handler) return "405";
  Context context;
  (*match->handler)(context);
  return context.answered_by;
}

TestRouter ProjectRoutes() {
  TestRouter router;
  router.Add("GET", "/projects/{key}", Named("get project"));
  router.Add("DELETE", "/projects/{key}", Named("delete project"));
  router.Add("GET", "/projects/search", Named("search"));
  router.Add("GET", "/projects/{key}/repos/{slug}", Named("get repository"));
  return router;
}

TEST(EmulatorCommonRouter, FindsTheHandlerForMethodAndPath) {
  struct Case {
    std::string method, path, expected;
  };
  const std::vector<Case> cases = {
      {"GET", "/projects/INFRA", "get project"},
      {"DELETE", "/projects/INFRA", "delete project"},
      {"GET", "/projects/search", "search"},  // a literal segment wins over {key}
      {"GET", "/projects/INFRA/repos/api", "get repository"},
      {"GET", "//projects//INFRA/", "get project"},  // empty segments do not count
      {"PUT", "/projects/INFRA", "405"},             // the path is known under other methods
      {"GET", "/projects", "404"},
      {"GET", "/projects/INFRA/repos", "404"},
      {"GET", "/elsewhere/INFRA", "404"},
  };
  TestRouter router = ProjectRoutes();
  for (const auto& c : cases) EXPECT_EQ(Answer(router, c.method, c.path), c.expected) << c.method << " " << c.path;
}

TEST(EmulatorCommonRouter, HandsOverDecodedPathParameters) {
  TestRouter router = ProjectRoutes();
  auto match = router.Find("GET", DecodedSegments("/projects/~ADA/repos/my%20repo"));
  ASSERT_TRUE(match && match->handler);
  EXPECT_EQ(match->params.at("key"), "~ADA");
  EXPECT_EQ(match->params.at("slug"), "my repo");
}

TEST(EmulatorCommonRouter, SplitsAndJoinsPaths) {
  EXPECT_EQ(SplitPath("/a//b%2Fc/"), (std::vector<std::string>{"a", "b%2Fc"}));
  EXPECT_EQ(DecodedSegments("/a//b%2Fc/"), (std::vector<std::string>{"a", "b/c"}));
  EXPECT_EQ(JoinSegments({"a", "b"}), "/a/b");
  EXPECT_EQ(JoinSegments({}), "/");
}

}  // namespace
}  // namespace stashform::emulator

namespace stashform::emulator {
namespace {

TEST(EmulatorCommonRouter, ATrailingStarParameterTakesTheRestOfThePath) {
  TestRouter router;
  router.Add("GET", "/repos/{slug}/raw/{path*}", Named("raw"));
  router.Add("GET", "/repos/{slug}/browse", Named("browse top"));
  auto match = router.Find("GET", DecodedSegments("/repos/catalog/raw/docs/guide/setup.md"));
  ASSERT_TRUE(match && match->handler);
  EXPECT_EQ(match->params.at("slug"), "catalog");
  EXPECT_EQ(match->params.at("path"), "docs/guide/setup.md");
  EXPECT_EQ(Answer(router, "GET", "/repos/catalog/raw/a.yaml"), "raw");
  EXPECT_EQ(Answer(router, "GET", "/repos/catalog/raw"), "404");  // the rest is one segment or more
  EXPECT_EQ(Answer(router, "GET", "/repos/catalog/browse"), "browse top");
}

}  // namespace
}  // namespace stashform::emulator
