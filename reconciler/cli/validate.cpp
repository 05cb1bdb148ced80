// `stashform validate`: evaluates the config without credentials or network and checks its graph
// (references, depends_on, cycles); prints every problem at once, as text or as Terraform's JSON.

#include <boost/json.hpp>

#include <ostream>
#include <sstream>

#include "reconciler/cli/session.h"
#include "reconciler/engine/graph.h"

namespace stashform::cli {

namespace {

namespace json = boost::json;

struct ValidateOptions {
  CommonOptions common;
  bool json = false;
};

/// Evaluation needs only the config folder and variable inputs; no state, no servers.
void AddValidateOptions(CLI::App& app, ValidateOptions& options) {
  app.add_option("dir", options.common.dir, "Configuration folder (default: the current folder)");
  app.add_option("--chdir", options.common.chdir, "Switch to this folder first");
  app.add_option("--var", options.common.vars, "Set a variable: -var name=value (repeatable)")
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--var-file", options.common.var_files, "Read variables from a .json or Lua file (repeatable)")
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--env-allow", options.common.env_allow,
                 "Names env \"VAR\" may read, * as wildcard (repeatable; default: all)")
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  AddLuaTimeLimitOption(app, options.common);
  app.add_flag("--no-color", options.common.no_color, "No colours in the output");
  app.add_flag("--json", options.json, "Print the result as JSON, in the shape of terraform validate -json");
}

/// Problems found before evaluation (a malformed -var) are printed as "Error: ..." lines; they
/// become diagnostics without a place so that -json reports them too.
void AddPrintedErrors(const std::string& printed, Diagnostics& diagnostics) {
  std::istringstream lines(printed);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    if (line.rfind("Error: ", 0) == 0) line = line.substr(7);
    diagnostics.Error({}, "", line);
  }
}

/// Evaluate offline, then build the graph of what evaluated cleanly.
Diagnostics Validate(const ValidateOptions& options, Io& io) {
  Session session;
  Diagnostics diagnostics;
  std::ostringstream printed;
  Io quiet{io.out, printed, io.in, io.out_is_terminal, io.in_is_terminal, false, io.backends};
  bool evaluated = session.Evaluate(options.common, /*offline=*/true, quiet, &diagnostics);
  AddPrintedErrors(printed.str(), diagnostics);
  if (!evaluated) {
    if (!diagnostics.HasErrors()) diagnostics.Error({}, "", "the configuration could not be evaluated");
    return diagnostics;
  }
  diagnostics.Append(engine::BuildGraph(session.config(), session.registry()).diagnostics);
  return diagnostics;
}

json::object DiagnosticJson(const Diagnostic& diagnostic) {
  json::object out;
  out["severity"] = diagnostic.severity == Severity::kError ? "error" : "warning";
  out["summary"] = diagnostic.subject.empty() ? diagnostic.message : diagnostic.subject + ": " + diagnostic.message;
  out["detail"] = diagnostic.hint;
  if (diagnostic.pos.known()) {
    // Terraform's readers need start and end with line, column and byte; stashform knows the line.
    json::object at{{"line", diagnostic.pos.line}, {"column", 1}, {"byte", 0}};
    out["range"] = json::object{{"filename", diagnostic.pos.file}, {"start", at}, {"end", at}};
  }
  return out;
}

std::string ValidateJson(const Diagnostics& diagnostics) {
  int errors = 0, warnings = 0;
  json::array items;
  for (const auto& diagnostic : diagnostics.items()) {
    (diagnostic.severity == Severity::kError ? errors : warnings) += 1;
    items.push_back(DiagnosticJson(diagnostic));
  }
  json::object out;
  out["format_version"] = "1.0";
  out["valid"] = errors == 0;
  out["error_count"] = errors;
  out["warning_count"] = warnings;
  out["diagnostics"] = std::move(items);
  return json::serialize(out) + "\n";
}

}  // namespace

int RunValidate(const Args& args, Io& io) {
  CLI::App app("Check that the configuration is valid, without credentials or network", "stashform validate");
  ValidateOptions options;
  AddValidateOptions(app, options);
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;

  Diagnostics diagnostics = Validate(options, io);
  if (options.json) {
    io.out << ValidateJson(diagnostics);
    return diagnostics.HasErrors() ? 1 : 0;
  }
  PrintDiagnostics(diagnostics, io);
  if (diagnostics.HasErrors()) return 1;
  io.out << (diagnostics.empty()
                 ? "Success! The configuration is valid.\n"
                 : "Success! The configuration is valid, but there were some warnings as shown above.\n");
  return 0;
}

}  // namespace stashform::cli
