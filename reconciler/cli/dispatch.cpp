#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <ostream>

#include "base/did_you_mean.h"
#include "reconciler/cli/backends.h"
#include "reconciler/cli/command_table.h"
#include "reconciler/cli/commands.h"
#include "state/postgres_connection.h"

namespace stashform::cli {

namespace {

CommandFn RunFunctionOf(const std::string& name) {
  static const std::map<std::string, CommandFn> kRun = {
      {"plan", &RunPlan},         {"apply", &RunApply},   {"validate", &RunValidate},
      {"graph", &RunGraph},       {"output", &RunOutput}, {"import", &RunImport},
      {"state", &RunState},       {"workspace", &RunWorkspace}, {"force-unlock", &RunForceUnlock},
      {"show", &RunShow},         {"drift", &RunDrift},   {"providers", &RunProviders},
      {"console", &RunConsole},   {"version", &RunVersion},
  };
  auto found = kRun.find(name);
  return found == kRun.end() ? nullptr : found->second;
}

/// The words of an environment variable's value as a shell would split them: spaces separate,
/// quotes group, a backslash escapes the next character.
Args ShellWords(const std::string& text) {
  Args words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < text.size()) word += text[++i];
      else word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < text.size()) {
      word += text[++i];
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

/// STASHFORM_CLI_ARGS, then STASHFORM_CLI_ARGS_<command> (a dash in the name as "_"), go before
/// the command line's own arguments, as Terraform's TF_CLI_ARGS do: a flag typed on the command
/// line wins over the same flag from the environment. In a group (state, workspace) they follow
/// the subcommand's name.
Args WithEnvironmentArgs(const std::string& command, Args rest, const Io& io) {
  Args injected;
  std::string specific = "STASHFORM_CLI_ARGS_" + command;
  std::replace(specific.begin(), specific.end(), '-', '_');
  for (const std::string& name : {std::string("STASHFORM_CLI_ARGS"), specific})
    if (const char* value = io.backends.getenv(name.c_str()); value && *value) {
      Args words = NormalizeOptions(ShellWords(value));
      injected.insert(injected.end(), words.begin(), words.end());
    }
  const CommandSpec* spec = FindCommandSpec(command);
  const bool group = spec && spec->arguments == "SUBCOMMAND";
  auto at = rest.begin();
  if (group && !rest.empty() && rest.front().rfind("--", 0) != 0) ++at;
  rest.insert(at, injected.begin(), injected.end());
  return rest;
}

}  // namespace

const std::vector<Command>& Commands() {
  // The names and summaries are the command table's (command_table.cpp); here only what runs each.
  static const std::vector<Command> kCommands = [] {
    std::vector<Command> commands;
    for (const auto& spec : CommandSpecs())
      if (CommandFn run = RunFunctionOf(spec.name)) commands.push_back({spec.name.c_str(), spec.summary.c_str(), run});
    return commands;
  }();
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

// A password on the command line is readable by every user of the machine (`ps`,
// /proc/PID/cmdline) and stays in shell histories and CI logs of the command; the same URL from the
// environment is not. Only the typed arguments: STASHFORM_CLI_ARGS* come from the environment.
static void WarnOfPasswordsInArguments(const Args& typed, Io& io) {
  for (size_t i = 0; i < typed.size(); ++i) {
    for (std::string flag : {"--state-url", "--state", "--to"}) {
      std::string value;
      if (typed[i].rfind(flag + "=", 0) == 0) value = typed[i].substr(flag.size() + 1);
      else if (typed[i] == flag && i + 1 < typed.size()) value = typed[i + 1];
      if (!state::IsPostgresUrl(value)) continue;
      auto parsed = state::ParsePostgresUrl(value);
      if (!parsed.ok() || parsed->password.empty()) continue;
      io.err << fmt::format(
          "Warning: the password in -{} can be read by other users of this machine (ps) and is kept in shell "
          "history; give it in PGPASSWORD or ~/.pgpass instead, or the whole URL in STASHFORM_STATE_URL\n",
          flag.substr(2));
    }
  }
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
      std::string hint = DidYouMean(arg.substr(2, arg.find('=') - 2), {"chdir", "help", "version"});
      io.err << fmt::format("Error: unknown global option \"{}\"{}; a command's own flags follow its name\n",
                            raw_args[i], hint.empty() ? "" : " (" + hint + ")");
      return 1;
    }
  }
  if (i == args.size()) {
    PrintHelp(io.out);
    return 1;
  }
  const std::string& name = args[i];
  WarnOfPasswordsInArguments(Args(args.begin() + static_cast<long>(i) + 1, args.end()), io);
  Args rest = WithEnvironmentArgs(name, Args(args.begin() + static_cast<long>(i) + 1, args.end()), io);
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
