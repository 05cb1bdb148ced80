#pragma once
// The CLI commands. Each takes its own arguments (after the command name) and returns the exit
// code: 0 success / no changes, 1 error, 2 success with changes under -detailed-exitcode.

#include <iosfwd>
#include <string>
#include <vector>

namespace stashform::cli {

/// Io is where a command talks to its user; tests pass string streams.
struct Io {
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
  bool out_is_terminal = false;
  bool in_is_terminal = false;
};

using Args = std::vector<std::string>;
using CommandFn = int (*)(const Args& args, Io& io);

struct Command {
  const char* name;
  const char* summary;
  CommandFn run;
};

int RunPlan(const Args& args, Io& io);
int RunApply(const Args& args, Io& io);
int RunVersion(const Args& args, Io& io);

/// The command table, in the order `--help` lists it.
const std::vector<Command>& Commands();

/// Turns Terraform-style single-dash long options (`-auto-approve`, `-chdir=DIR`) into the
/// double-dash form the argument parser reads; `--x` and `-x` are left alone.
Args NormalizeOptions(const Args& args);

/// The whole program: global options, the command, and its exit code.
int Main(const Args& args, Io& io);

}  // namespace stashform::cli
