#include "reconciler/cli/subcommands.h"

#include <fmt/format.h>

#include <ostream>

#include "base/did_you_mean.h"

namespace stashform::cli {
namespace {

void PrintGroupHelp(const std::string& usage, const std::vector<Subcommand>& table, std::ostream& out) {
  out << usage << "\n\nSubcommands:\n";
  for (const auto& sub : table) out << fmt::format("  {:<7} {}\n", sub.name, sub.summary);
}

}  // namespace

int RunSubcommand(const std::string& group, const std::string& usage, const std::vector<Subcommand>& table,
                  const Args& args, Io& io) {
  // Main puts -chdir before everything; the subcommand is the first other argument.
  Args rest;
  std::string name;
  for (const auto& arg : args) {
    if (name.empty() && arg.rfind("--chdir=", 0) != 0) name = arg;
    else rest.push_back(arg);
  }
  if (name.empty() || name == "--help" || name == "--h") {
    PrintGroupHelp(usage, table, name.empty() ? io.err : io.out);
    return name.empty() ? 1 : 0;
  }
  std::vector<std::string> names;
  for (const auto& sub : table) {
    if (name == sub.name) return sub.run(rest, io);
    names.push_back(sub.name);
  }
  std::string hint = DidYouMean(name, names);
  io.err << fmt::format("Error: unknown {} subcommand \"{}\"{}\n", group, name, hint.empty() ? "" : " (" + hint + ")");
  PrintGroupHelp(usage, table, io.err);
  return 1;
}

}  // namespace stashform::cli
