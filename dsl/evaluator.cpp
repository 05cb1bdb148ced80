#include "dsl/evaluator.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dsl/evaluation.h"
#include "dsl/sandbox.h"

namespace stashform::dsl {

namespace {

bool ReadFile(const std::filesystem::path& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
  return true;
}

void ReportSchemaProblems(const std::vector<const ResourceSchema*>& schemas, Diagnostics& diagnostics) {
  for (const auto* schema : schemas)
    if (schema->type.find('.') == std::string::npos)
      diagnostics.Error({}, schema->type, "internal: a resource type must be named namespace.type");
}

}  // namespace

EvalResult EvaluateChunk(const std::string& chunk_name, const std::string& text,
                         const std::vector<const ResourceSchema*>& schemas, const EvalOptions& options) {
  EvalResult result;
  ReportSchemaProblems(schemas, result.diagnostics);
  // Sandbox: a fresh state per evaluation, so nothing leaks between configs.
  Sandbox sandbox({options.memory_limit_bytes, options.instruction_limit});
  if (!sandbox.ok()) {
    result.diagnostics.Error({chunk_name, 0}, "", sandbox.MemoryLimitMessage() + " before the config could start");
    return result;
  }
  Evaluation evaluation(sandbox, schemas, options);
  // Declare: run the chunk; each declaration checks its own body as it arrives.
  if (evaluation.InstallGlobals() && sandbox.Run(chunk_name, text, evaluation.diagnostics()))
    // Finish: what needs the whole config (bodies never given, implicit servers).
    evaluation.Finish();
  result.config = std::move(evaluation.config());
  result.diagnostics.Append(evaluation.diagnostics());
  return result;
}

EvalResult EvaluateFolder(const std::string& folder, const std::vector<const ResourceSchema*>& schemas,
                          const EvalOptions& options) {
  std::string text;
  if (!ReadFile(std::filesystem::path(folder) / "main.lua", &text)) {
    EvalResult result;
    result.config.folder = folder;
    result.diagnostics.Error({}, "", folder + ": no main.lua found");
    return result;
  }
  EvalResult result = EvaluateChunk("main.lua", text, schemas, options);
  result.config.folder = folder;
  return result;
}

}  // namespace stashform::dsl
