#include <fmt/format.h>

#include <cctype>
#include <ostream>

#include "base/did_you_mean.h"
#include "reconciler/cli/commands.h"

namespace stashform::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"plan", "Show changes required by the current configuration", &RunPlan},
      {"apply", "Create or update remote objects to match the configuration", &RunApply},
      {"validate", "Check the configuration without credentials or network", &RunValidate},
      {"graph", "Print the dependency graph of the configuration", &RunGraph},
      {"output", "Show the outputs recorded in the state", &RunOutput},
      {"import", "Adopt an existing remote object into the state", &RunImport},
      {"state", "Inspect and edit the state: list, show, rm, mv, pull", &RunState},
      {"workspace", "Manage workspaces: several states for one config (list, show, new, select, delete)",
       &RunWorkspace},
      {"force-unlock", "Remove the lock a dead run left on the state", &RunForceUnlock},
      {"show", "Show a saved plan (-json: as terraform show -json)", &RunShow},
      {"drift", "Report changes made outside stashform and unmanaged objects; exit 2 on drift", &RunDrift},
      {"version", "Show the current stashform version", &RunVersion},
  };
  return kCommands;
}

Args NormalizeOptions(const Args& args) {
  Args out;
  for (const auto& arg : args) {
    bool single_dash_long = arg.size() > 2 && arg[0] == '-' && arg[1] != '-' &&
                            std::isalpha(static_cast<unsigned char>(arg[1])) &&
                            (std::isalpha(static_cast<unsigned char>(arg[2])) || arg[2] == '-');
    out.push_back(single_dash_long ? "-" + arg : arg);
  }
  return out;
}

static void PrintHelp(std::ostream& out) {
  out << "Usage: stashform [global options] <command> [options] [DIR]\n\n"
         "stashform reconciles Bitbucket Data Center webhooks, tokens, application links and the\n"
         "integrations that use them with the Lua configuration in DIR (default: the current folder).\n\n"
         "Commands:\n";
  for (const auto& command : Commands()) out << fmt::format("  {:<13} {}\n", command.name, command.summary);
  out << "\nGlobal options:\n"
         "  -chdir=DIR   Switch to DIR before running the command\n"
         "  -help        Show this help, or a command's with `stashform <command> -help`\n"
         "  -version     Same as the version command\n";
}

int Main(const Args& raw_args, Io& io) {
  Args args = NormalizeOptions(raw_args);
  size_t i = 0;
  std::string chdir;
  for (; i < args.size() && args[i].rfind("--", 0) == 0; ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "--h") {
      PrintHelp(io.out);
      return 0;
    }
    if (arg == "--version" || arg == "--v") return RunVersion({}, io);
    if (arg.rfind("--chdir=", 0) == 0) {
      chdir = arg.substr(8);
    } else if (arg == "--chdir" && i + 1 < args.size()) {
      chdir = args[++i];
    } else {
      io.err << fmt::format("Error: unknown global option \"{}\"\n", raw_args[i]);
      return 1;
    }
  }
  if (i == args.size()) {
    PrintHelp(io.out);
    return 1;
  }
  const std::string& name = args[i];
  Args rest(args.begin() + static_cast<long>(i) + 1, args.end());
  if (!chdir.empty()) rest.insert(rest.begin(), "--chdir=" + chdir);
  for (const auto& command : Commands())
    if (name == command.name) return command.run(rest, io);
  std::vector<std::string> names;
  for (const auto& command : Commands()) names.push_back(command.name);
  std::string hint = DidYouMean(name, names);
  io.err << fmt::format("Error: unknown command \"{}\"{}\n", name, hint.empty() ? "" : " (" + hint + ")");
  io.err << "Run \"stashform -help\" for the list of commands.\n";
  return 1;
}

}  // namespace stashform::cli
