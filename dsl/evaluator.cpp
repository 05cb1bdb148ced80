#include "dsl/evaluator.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dsl/evaluation.h"
#include "dsl/sandbox.h"

namespace stashform::dsl {

namespace {

void ReportSchemaProblems(const std::vector<const ResourceSchema*>& schemas, Diagnostics& diagnostics) {
  for (const auto* schema : schemas)
    if (schema->type.find('.') == std::string::npos)
      diagnostics.Error({}, schema->type, "internal: a resource type must be named namespace.type");
}

// Checks that need the whole config report after the rest; readers expect file order. Files keep
// the order in which they first appear, lines ascend within a file, and the sort is stable.
Diagnostics InSourceOrder(const Diagnostics& diagnostics) {
  std::vector<std::string> files;
  for (const auto& d : diagnostics.items())
    if (std::find(files.begin(), files.end(), d.pos.file) == files.end()) files.push_back(d.pos.file);
  auto rank = [&](const Diagnostic& d) {
    return std::pair(std::find(files.begin(), files.end(), d.pos.file) - files.begin(), d.pos.line);
  };
  std::vector<Diagnostic> items = diagnostics.items();
  std::stable_sort(items.begin(), items.end(), [&](const Diagnostic& a, const Diagnostic& b) { return rank(a) < rank(b); });
  Diagnostics sorted;
  for (auto& d : items) sorted.Add(std::move(d));
  return sorted;
}

EvalResult EvaluateText(const std::string& folder, const std::string& chunk_name, const std::string& text,
                        const std::vector<const ResourceSchema*>& schemas, const EvalOptions& options) {
  EvalResult result;
  result.config.folder = folder;
  ReportSchemaProblems(schemas, result.diagnostics);
  // Sandbox: a fresh state per evaluation, so nothing leaks between configs.
  Sandbox sandbox({options.memory_limit_bytes, options.instruction_limit, options.time_limit});
  if (!sandbox.ok()) {
    result.diagnostics.Error({chunk_name, 0}, "", sandbox.MemoryLimitMessage() + " before the config could start");
    return result;
  }
  Evaluation evaluation(sandbox, schemas, options, folder);
  // Declare: run the chunk; each declaration checks its own body as it arrives.
  if (evaluation.InstallGlobals() && sandbox.Run(chunk_name, text, evaluation.diagnostics()))
    // Finish: what needs the whole config (bodies never given, implicit servers).
    evaluation.Finish();
  evaluation.config().folder = folder;
  result.config = std::move(evaluation.config());
  result.diagnostics.Append(InSourceOrder(evaluation.diagnostics()));
  return result;
}

}  // namespace

std::optional<std::string> ReadConfigFile(const EvalOptions& options, const std::string& path) {
  if (options.read_file) return options.read_file(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

EvalResult EvaluateChunk(const std::string& chunk_name, const std::string& text,
                         const std::vector<const ResourceSchema*>& schemas, const EvalOptions& options) {
  return EvaluateText("", chunk_name, text, schemas, options);
}

EvalResult EvaluateFolder(const std::string& folder, const std::vector<const ResourceSchema*>& schemas,
                          const EvalOptions& options) {
  std::optional<std::string> text = ReadConfigFile(options, (std::filesystem::path(folder) / "main.lua").string());
  if (!text) {
    EvalResult result;
    result.config.folder = folder;
    result.diagnostics.Error({}, "", folder + ": no main.lua found");
    return result;
  }
  return EvaluateText(folder, "main.lua", *text, schemas, options);
}

}  // namespace stashform::dsl
