#pragma once
// The CLI commands. Each takes its own arguments (after the command name) and returns the exit
// code: 0 success / no changes, 1 error, 2 success with changes under -detailed-exitcode.

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "base/address.h"

namespace stashform::cli {

struct Backends;  // backends.h: HTTP, state store, clock, environment, signals

/// Io is where a command talks to its user (the streams and whether each is a terminal) and what
/// else it reaches outside the process (`backends`). main passes the real ones; unit tests pass
/// string streams and fakes (tests/support/fake_backends.h).
struct Io {
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
  bool out_is_terminal = false;
  bool in_is_terminal = false;
  bool err_is_terminal = false;
  const Backends& backends;
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
int RunShow(const Args& args, Io& io);
int RunDrift(const Args& args, Io& io);
int RunVersion(const Args& args, Io& io);
int RunValidate(const Args& args, Io& io);     // validate.cpp
int RunGraph(const Args& args, Io& io);        // graph_cmd.cpp
int RunState(const Args& args, Io& io);        // state_cmds.cpp: list, show, rm, mv, pull
int RunImport(const Args& args, Io& io);       // import_cmd.cpp
int RunOutput(const Args& args, Io& io);       // output_cmd.cpp
int RunForceUnlock(const Args& args, Io& io);  // force_unlock_cmd.cpp
int RunWorkspace(const Args& args, Io& io);    // workspace_cmd.cpp: list, show, new, select, delete
int RunStateMigrate(const Args& args, Io& io); // state_migrate_cmd.cpp: `state migrate -to=URL`
int RunProviders(const Args& args, Io& io);    // providers_cmd.cpp
int RunConsole(const Args& args, Io& io);      // console_cmd.cpp

/// Parses a resource address given on the command line. A malformed one, or (when `must_exist`)
/// one that is not among `known`, is an error printed with a "did you mean" from `known`;
/// `where` names what `known` lists, e.g. "the state". Defined in state_cmds.cpp.
std::optional<ResourceAddress> ParseAddressArgument(const std::string& text, const std::vector<std::string>& known,
                                                    bool must_exist, const std::string& where, Io& io);

/// The commands that run, in the order `--help` lists them; their names and summaries come from
/// the command table (command_table.h), which also holds their flags.
const std::vector<Command>& Commands();

/// Turns Terraform-style single-dash long options (`-auto-approve`, `-chdir=DIR`) into the
/// double-dash form the argument parser reads; `--x` and `-x` are left alone.
Args NormalizeOptions(const Args& args);

/// The whole program: global options, the command, and its exit code.
int Main(const Args& args, Io& io);

}  // namespace stashform::cli
