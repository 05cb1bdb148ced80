#pragma once
// A command made of subcommands (`stashform state list`, `stashform workspace new`): one table
// and one dispatcher, so that every group answers help and mistypes the same way.

#include <string>
#include <vector>

#include "reconciler/cli/commands.h"

namespace stashform::cli {

/// One row of a group's table: `{"list", "List the resources in the state", &RunStateList}`.
struct Subcommand {
  const char* name;
  const char* summary;
  CommandFn run;
};

/// Runs the subcommand that `args` names (the first argument that is not main's `--chdir=`) with
/// the other arguments. Without one, or with `--help`, prints `usage` and the table; an unknown
/// one is an error with the closest name (`unknown state subcommand "lst" (did you mean "list"?)`).
int RunSubcommand(const std::string& group, const std::string& usage, const std::vector<Subcommand>& table,
                  const Args& args, Io& io);

}  // namespace stashform::cli
