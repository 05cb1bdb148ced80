#pragma once
// The command table as data: every command and subcommand with its summary, its positional
// arguments and its flags (name, kind of value, default, help). The parser's help, the checks on
// flag values, docs/cli.md's command reference, the bash and zsh completions and the man page are
// all made from it (cli_docs.h), so none of them can drift from what the parser accepts.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/cli/commands.h"

namespace CLI {
class App;
}

namespace stashform::cli {

/// What a flag's value is; the parser checks it and the completions offer candidates by it.
enum class FlagKind {
  kSwitch,    // no value: -json
  kBool,      // true or false: -lock=false
  kText,      // any word
  kFile,      // a file path
  kFolder,    // a folder path
  kDuration,  // 500ms, 30s, 5m, 1h, 1h30m; 0s
  kCount,     // a whole number from 1 to 256
  kChoice,    // one of `choices`
};

/// One flag of a command as the user types it, without dashes: `lock-timeout`.
struct Flag {
  std::string name;
  FlagKind kind = FlagKind::kSwitch;
  std::string default_value;  // as the docs print it; "" for none
  std::string help;
  std::vector<std::string> choices = {};  // kChoice only
  bool repeatable = false;
};

/// One row of the table: a command (`plan`) or a group's subcommand (`state list`).
struct CommandSpec {
  std::string name;
  std::string summary;
  std::string arguments;  // the positional part of the usage line: "[DIR]", "ADDR ID [DIR]"
  std::vector<Flag> flags;
};

/// Every command then every subcommand, in the order the help and the docs list them.
const std::vector<CommandSpec>& CommandSpecs();

/// The row for "plan" or "state list"; nullptr when there is none.
const CommandSpec* FindCommandSpec(const std::string& name);

/// The flag of `command` called `name`; nullptr when it has none.
const Flag* FindFlag(const CommandSpec& command, const std::string& name);

/// A duration as Terraform's flags take it: one or more number-unit pairs (ms, s, m, h), or "0".
/// nullopt for anything else ("abc", "1d", "-5s", "30").
std::optional<std::chrono::milliseconds> ParseDuration(const std::string& text);

/// The message for a bad value of `flag`, naming it and the accepted forms; "" when it is good.
std::string CheckFlagValue(const Flag& flag, const std::string& value);

/// Gives each option of `app` (named "stashform plan", "stashform state list") its row's help and
/// value check, and lets a later value of a flag override an earlier one, as Terraform does (the
/// STASHFORM_CLI_ARGS come before the command line). Options without a row are left as they are;
/// tests/reconciler/cli/command_table_test.cpp fails on them.
void ApplyCommandTable(CLI::App& app);

/// The names of the command's long options as the parser knows them, without dashes.
std::vector<std::string> ParserFlagNames(const CLI::App& app);

}  // namespace stashform::cli
