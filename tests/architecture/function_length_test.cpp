// "No function in reconciler/ over 60 lines" (issue 16): the reader of function spans, and the
// check over the real tree.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/architecture/function_length.h"

namespace stashform::architecture {
namespace {

constexpr int kMaxFunctionLines = 60;

TEST(FunctionLength, NoFunctionInReconcilerIsOver60Lines) {
  const std::filesystem::path root = std::filesystem::path(STASHFORM_SOURCE_DIR) / "reconciler";
  std::string report;
  int functions = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const auto extension = entry.path().extension();
    if (extension != ".cpp" && extension != ".h") continue;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const FunctionSpan& span : FunctionSpans(text)) {
      ++functions;
      if (span.lines <= kMaxFunctionLines) continue;
      report += std::filesystem::relative(entry.path(), STASHFORM_SOURCE_DIR).string() + ":" +
                std::to_string(span.first_line) + ": " + std::to_string(span.lines) + " lines: " +
                span.signature + "\n";
    }
  }
  EXPECT_GT(functions, 200) << "the reader found too few functions to be trusted";
  EXPECT_TRUE(report.empty()) << report;
}

TEST(FunctionLength, MeasuresFunctionsAndMethodsButNotTheirInnerBlocks) {
  const std::vector<FunctionSpan> spans = FunctionSpans(R"(namespace a {
int Add(int x, int y) {
  if (x) {
    return x + y;
  }
  auto f = [&](int z) { return z; };
  return f(y);
}
class Box {
 public:
  int size() const { return size_; }
 private:
  int size_ = 0;
};
const int kTable[] = {1, 2, 3};
}  // namespace a
)");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].signature, "int Add(int x, int y)");
  EXPECT_EQ(spans[0].first_line, 2);
  EXPECT_EQ(spans[0].lines, 7);
  EXPECT_EQ(spans[1].signature, "int size() const");
  EXPECT_EQ(spans[1].lines, 1);
}

TEST(FunctionLength, BracesInStringsCommentsAndRawStringsDoNotCount) {
  const std::vector<FunctionSpan> spans = FunctionSpans(R"X(void F() {
  const char* a = "}{";  // }
  /* { */
  const char* b = R"({"json": {}})";
  char c = '{';
  int d = 1'000;
}
void G() {}
)X");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].lines, 7);
  EXPECT_EQ(spans[1].signature, "void G()");
}

}  // namespace
}  // namespace stashform::architecture
