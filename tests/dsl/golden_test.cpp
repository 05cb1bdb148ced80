// Golden files: each golden/NAME.lua is evaluated as main.lua and its diagnostics must equal
// golden/NAME.txt. To accept new output after a deliberate change, run the test with
// STASHFORM_UPDATE_GOLDEN=1 and review the diff.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dsl/evaluator.h"
#include "tests/dsl/test_schemas.h"

namespace stashform::dsl {
namespace {

namespace fs = std::filesystem;

const fs::path kGoldenDir = STASHFORM_DSL_GOLDEN_DIR;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> GoldenNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kGoldenDir))
    if (entry.path().extension() == ".lua") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, DiagnosticsMatch) {
  const std::string text = ReadAll(kGoldenDir / (GetParam() + ".lua"));
  EvalResult result = EvaluateChunk("main.lua", text, testing::TestSchemas(), testing::TestOptions({{"BB_TOKEN", "t"}}));
  const std::string actual = result.diagnostics.ToString();
  const fs::path expected_path = kGoldenDir / (GetParam() + ".txt");
  if (std::getenv("STASHFORM_UPDATE_GOLDEN")) std::ofstream(expected_path, std::ios::binary) << actual;
  EXPECT_EQ(actual, ReadAll(expected_path)) << "golden file: " << expected_path;
  EXPECT_TRUE(result.diagnostics.HasErrors()) << "every golden config shows at least one error";
}

INSTANTIATE_TEST_SUITE_P(Files, Golden, ::testing::ValuesIn(GoldenNames()),
                         [](const auto& info) { return info.param; });

TEST(GoldenFiles, PinAtLeastTwentyDistinctDiagnostics) {
  std::vector<std::string> lines;
  for (const auto& name : GoldenNames()) {
    std::istringstream in(ReadAll(kGoldenDir / (name + ".txt")));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  EXPECT_GE(lines.size(), 20u);
}

}  // namespace
}  // namespace stashform::dsl
