// `stashform graph [-format dot|list] [DIR]`: the dependency graph of the config, as DOT for
// Graphviz or as a plain list in apply order. Data sources are read as plan reads them, so a
// config that loops over repositories shows every webhook it declares.

#include <ostream>

#include "reconciler/cli/session.h"
#include "reconciler/engine/graph.h"

namespace stashform::cli {

int RunGraph(const Args& args, Io& io) {
  CLI::App app("Print the dependency graph of the configuration", "stashform graph");
  CommonOptions options;
  std::string format = "dot";
  app.add_option("dir", options.dir, "Configuration folder (default: the current folder)");
  app.add_option("--chdir", options.chdir, "Switch to this folder first");
  app.add_option("--format", format, "dot (default) or list")->check(CLI::IsMember({"dot", "list"}));
  app.add_option("--var", options.vars, "Set a variable: -var name=value (repeatable)")
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--var-file", options.var_files, "Read variables from a .json or Lua file (repeatable)")
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--env-allow", options.env_allow,
                 "Names env \"VAR\" may read, * as wildcard (repeatable; default: all)")
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  AddLuaTimeLimitOption(app, options);
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;

  Session session;
  if (!session.Evaluate(options, /*offline=*/false, io)) return 1;
  engine::Graph graph = engine::BuildGraph(session.config(), session.registry());
  PrintDiagnostics(graph.diagnostics, io);
  if (graph.diagnostics.HasErrors()) return 1;
  io.out << (format == "list" ? engine::GraphList(graph) : engine::GraphDot(graph));
  return 0;
}

}  // namespace stashform::cli
