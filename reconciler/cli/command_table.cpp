#include "reconciler/cli/command_table.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cctype>
#include <ostream>

#include "base/did_you_mean.h"
#include "reconciler/cli/session.h"

namespace stashform::cli {

namespace {

using K = FlagKind;

std::vector<Flag> Join(std::initializer_list<std::vector<Flag>> groups) {
  std::vector<Flag> out;
  for (const auto& group : groups) out.insert(out.end(), group.begin(), group.end());
  return out;
}

const Flag kChdir{"chdir", K::kFolder, "", "Switch to this folder first (as the global -chdir)"};
const Flag kState{"state", K::kFile, "DIR/stashform.state.json", "The state file"};
const Flag kStateUrl{"state-url", K::kText, "STASHFORM_STATE_URL",
                     "The state's place: postgres://... or a file, in the current workspace"};
const Flag kLockTimeout{"lock-timeout", K::kDuration, "0s",
                        "How long to wait for another run's lock: 500ms, 30s, 5m, 1h"};
const Flag kNoColor{"no-color", K::kSwitch, "", "No colours in the output (also off without a terminal or with NO_COLOR)"};
const Flag kParallelism{"parallelism", K::kCount, "16",
                        "Requests in flight at once per server (and operations, for apply)"};
const Flag kInput{"input", K::kBool, "true",
                  "Ask for input when needed; false never asks (TF_INPUT=0 and STASHFORM_INPUT=0 too)"};

Flag Lock(const std::string& default_value) {
  return {"lock", K::kBool, default_value, "Lock the state while the command runs"};
}

/// What evaluating the config takes: its variables and the sandbox's limits.
std::vector<Flag> ConfigInputs() {
  return {{"var", K::kText, "", "Set a variable: -var name=value", {}, true},
          {"var-file", K::kFile, "", "Read variables from a .json or Lua file", {}, true},
          {"env-allow", K::kText, "", "Names env \"VAR\" may read, * as wildcard (default: all)", {}, true},
          {"lua-time-limit", K::kText, "10s", "Wall-clock limit on the config's Lua (else STASHFORM_LUA_TIME_LIMIT)"}};
}

/// AddCommonOptions: every command that plans, so reads the servers and takes the lock.
std::vector<Flag> CommonFlags() {
  return Join({{kChdir, kState, kStateUrl, Lock("true"), kLockTimeout,
                {"refresh", K::kBool, "true", "Ask the servers what exists before planning"},
                kNoColor,
                {"explain", K::kSwitch, "", "Print the reason for every change"},
                kParallelism, kInput},
               ConfigInputs()});
}

std::vector<Flag> PlanShapeFlags() {
  return {{"target", K::kText, "", "Plan only this resource and what it depends on", {}, true},
          {"exclude", K::kText, "", "Leave out this resource and what depends on it", {}, true},
          {"replace", K::kText, "", "Replace this resource even if nothing changed", {}, true},
          {"refresh-only", K::kSwitch, "", "Only bring the state up to date with what the servers have"},
          {"format", K::kChoice, "text", "How to print the plan: text, markdown or json (Terraform's plan representation)",
           {"text", "markdown", "json"}},
          {"json", K::kSwitch, "", "Terraform's machine-readable UI: one JSON message a line"}};
}

std::vector<Flag> StateFlags(const std::string& lock_default) {
  return {kChdir, kState, kStateUrl, Lock(lock_default), kLockTimeout};
}

std::vector<Flag> WorkspaceFlags() { return {kChdir, kStateUrl}; }

/// The commands, in the order the help lists them.
std::vector<CommandSpec> CommandLevelSpecs() {
  return {
      {"plan", "Show changes required by the current configuration", "[DIR]",
       Join({CommonFlags(), PlanShapeFlags(),
             {{"detailed-exitcode", K::kSwitch, "", "Exit 2 when there are changes, 0 when none, 1 on error"},
              {"out", K::kFile, "", "Save the plan to this file for `stashform apply FILE`"}}})},
      {"apply", "Create or update remote objects to match the configuration", "[DIR | PLANFILE]",
       Join({CommonFlags(), PlanShapeFlags(),
             {{"auto-approve", K::kSwitch, "", "Apply without asking for confirmation"}}})},
      {"validate", "Check the configuration without credentials or network", "[DIR]",
       Join({{kChdir}, ConfigInputs(),
             {kNoColor, {"json", K::kSwitch, "", "Print the result in the shape of terraform validate -json"}}})},
      {"graph", "Print the dependency graph of the configuration", "[DIR]",
       Join({{kChdir, {"format", K::kChoice, "dot", "dot (Graphviz) or list", {"dot", "list"}}}, ConfigInputs()})},
      {"output", "Show the outputs recorded in the state", "[NAME]",
       {kChdir, kState,
        {"json", K::kSwitch, "", "Print as JSON, sensitive values in full (as terraform output -json)"},
        {"raw", K::kSwitch, "", "Print one string, number or bool as it is, sensitive or not, without a newline"},
        {"show-sensitive", K::kSwitch, "", "Print sensitive values in the clear in the plain text form too"},
        kNoColor}},
      {"import", "Adopt an existing remote object into the state", "ADDR ID [DIR]", CommonFlags()},
      {"state", "Inspect and edit the state: list, show, rm, mv, pull, migrate", "SUBCOMMAND", {}},
      {"workspace", "Manage workspaces: several states for one config (list, show, new, select, delete)",
       "SUBCOMMAND", {}},
      {"force-unlock", "Remove the lock a dead run left on the state", "LOCK_ID [DIR]",
       {kChdir, kState, kStateUrl, {"force", K::kSwitch, "", "Do not ask for confirmation"}}},
      {"show", "Show a saved plan, or the state without one (-json: as terraform show -json)", "[PLANFILE]",
       {{"json", K::kSwitch, "", "Terraform's plan representation (or state representation without a plan)"},
        kChdir, kState, kStateUrl}},
      {"drift", "Report changes made outside stashform and unmanaged objects; exit 2 on drift", "[DIR]",
       Join({CommonFlags(),
             {{"format", K::kChoice, "text", "text or json (one report document for a cron job)", {"text", "json"}},
              {"json", K::kSwitch, "", "Terraform's machine-readable UI; the last message carries the report"}}})},
      {"providers", "List each platform module's resource and data source types", "",
       {{"json", K::kSwitch, "", "Print as JSON"}}},
      {"console", "Evaluate expressions against the config and state, read-only and offline", "[DIR]",
       Join({{kChdir, kState, kStateUrl,
              {"e", K::kText, "", "Evaluate this expression instead of reading standard input", {}, true}},
             ConfigInputs()})},
      {"version", "Show the current stashform version", "",
       {{"json", K::kSwitch, "", "Print as JSON, in the shape of terraform version -json"}}},
  };
}

/// The subcommands of `state` and `workspace`, named with their group.
std::vector<CommandSpec> SubcommandSpecs() {
  const Flag json_switch{"json", K::kSwitch, "", "Print as JSON"};
  return {
      {"state list", "List the resources in the state", "[ADDRESS_PREFIX...]",
       Join({StateFlags("false"), {json_switch}})},
      {"state show", "Show a resource in the state, secrets masked", "ADDRESS", StateFlags("false")},
      {"state rm", "Forget resources without deleting the remote objects", "ADDRESS...",
       Join({StateFlags("true"), {{"dry-run", K::kSwitch, "", "Print what would be removed, and change nothing"}}})},
      {"state mv", "Rename a resource in the state without replacing it", "FROM TO",
       Join({StateFlags("true"), {{"dry-run", K::kSwitch, "", "Print what would be moved, and change nothing"}}})},
      {"state pull", "Print the state as JSON, secrets masked", "",
       Join({StateFlags("false"),
             {{"show-sensitive", K::kSwitch, "", "Print secrets in the clear (never in CI logs)"}}})},
      {"state migrate", "Move the state to another place, keeping lineage, serial and journal", "",
       {kChdir, kState, kStateUrl, kLockTimeout,
        {"to", K::kText, "", "Where to: postgres://...?schema=S&workspace=W, or a file path (required)"},
        {"force", K::kSwitch, "", "Replace a state already at the target"}}},
      {"workspace list", "List the workspaces; * marks the current one", "", WorkspaceFlags()},
      {"workspace show", "Print the current workspace", "", WorkspaceFlags()},
      {"workspace new", "Make a workspace and switch to it", "NAME", WorkspaceFlags()},
      {"workspace select", "Switch to another workspace", "NAME", WorkspaceFlags()},
      {"workspace delete", "Delete a workspace and its state (not the remote objects)", "NAME",
       Join({WorkspaceFlags(),
             {{"force", K::kSwitch, "", "Delete even when its state still records resources"}, kLockTimeout}})},
  };
}

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::optional<long long> ParseCount(const std::string& text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  for (char c : text)
    if (!IsDigit(c)) return std::nullopt;
  return std::stoll(text);
}

/// What CLI11 calls the option: its first long name (else its short one), without dashes.
std::string LongName(const CLI::Option& option) {
  if (!option.get_lnames().empty()) return option.get_lnames().front();
  return option.get_snames().empty() ? "" : option.get_snames().front();
}

bool IsGoBool(const std::string& value) {
  for (const char* accepted : {"true", "false", "1", "0", "t", "f", "T", "F", "TRUE", "FALSE", "True", "False"})
    if (value == accepted) return true;
  return false;
}

/// "stashform plan" for the app "stashform plan".
std::string CommandName(const CLI::App& app) {
  std::string name = app.get_name();
  return name.rfind("stashform ", 0) == 0 ? name.substr(10) : name;
}

/// An argument that names a flag the command does not have, as an error with the command's
/// closest flag; "" when every flag is known. Runs before CLI11, whose message has no suggestion.
std::string UnknownFlagError(const CLI::App& app, const Args& args) {
  for (const auto& arg : args) {
    if (arg == "--") break;
    if (arg.size() < 3 || arg.rfind("--", 0) != 0) continue;
    const std::string name = arg.substr(2, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2);
    if (name == "help" || name == "h" || app.get_option_no_throw("--" + name) != nullptr) continue;
    const std::vector<std::string> known = ParserFlagNames(app);
    auto closest = ClosestMatch(name, known);
    return fmt::format("flag -{} is not one of stashform {}'s{}; \"stashform {} -help\" lists them", name,
                       CommandName(app), closest ? " (did you mean -" + *closest + "?)" : "", CommandName(app));
  }
  return "";
}

/// CLI11 says "--lock-timeout: <message>"; the table's checks name the flag themselves, and the
/// others get Terraform's single dash.
std::string Reworded(const CLI::ParseError& error) {
  std::string message = error.what();
  if (message.rfind("--", 0) != 0) return message;
  const size_t colon = message.find(": ");
  if (colon != std::string::npos && message.compare(colon + 2, 1, "-") == 0) return message.substr(colon + 2);
  return message.substr(1);
}

}  // namespace

const std::vector<CommandSpec>& CommandSpecs() {
  static const std::vector<CommandSpec> kSpecs = [] {
    std::vector<CommandSpec> specs = CommandLevelSpecs();
    for (auto& sub : SubcommandSpecs()) specs.push_back(std::move(sub));
    return specs;
  }();
  return kSpecs;
}

const CommandSpec* FindCommandSpec(const std::string& name) {
  for (const auto& spec : CommandSpecs())
    if (spec.name == name) return &spec;
  return nullptr;
}

const Flag* FindFlag(const CommandSpec& command, const std::string& name) {
  for (const auto& flag : command.flags)
    if (flag.name == name) return &flag;
  return nullptr;
}

std::optional<std::chrono::milliseconds> ParseDuration(const std::string& text) {
  if (text == "0") return std::chrono::milliseconds(0);
  double total_ms = 0;
  size_t at = 0;
  while (at < text.size()) {
    size_t start = at;
    while (at < text.size() && (IsDigit(text[at]) || text[at] == '.')) ++at;
    if (at == start || text.compare(start, at - start, ".") == 0) return std::nullopt;
    const double number = std::stod(text.substr(start, at - start));
    size_t unit_start = at;
    while (at < text.size() && std::isalpha(static_cast<unsigned char>(text[at]))) ++at;
    const std::string unit = text.substr(unit_start, at - unit_start);
    const double scale = unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60'000 : unit == "h" ? 3'600'000 : -1;
    if (scale < 0) return std::nullopt;
    total_ms += number * scale;
  }
  if (text.empty() || total_ms > 1e12) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(total_ms));
}

std::string CheckFlagValue(const Flag& flag, const std::string& value) {
  switch (flag.kind) {
    case FlagKind::kDuration:
      if (ParseDuration(value)) return "";
      return fmt::format("-{} \"{}\" is not a duration; use a number and a unit (ms, s, m, h): 500ms, 30s, "
                         "5m, 1h, 1h30m, or 0s",
                         flag.name, value);
    case FlagKind::kCount:
      if (auto count = ParseCount(value); count && *count >= 1 && *count <= 256) return "";
      return fmt::format("-{} \"{}\" is not a count; use a whole number from 1 to 256 (default {})", flag.name,
                         value, flag.default_value);
    case FlagKind::kBool:
      if (IsGoBool(value)) return "";
      return fmt::format("-{} \"{}\": use -{}=true or -{}=false", flag.name, value, flag.name, flag.name);
    case FlagKind::kChoice:
      for (const auto& choice : flag.choices)
        if (value == choice) return "";
      return fmt::format("-{} \"{}\": use one of {}", flag.name, value, fmt::join(flag.choices, ", "));
    default:
      return "";
  }
}

void ApplyCommandTable(CLI::App& app) {
  const CommandSpec* spec = FindCommandSpec(CommandName(app));
  if (!spec) return;
  for (CLI::Option* option : app.get_options()) {
    const Flag* flag = FindFlag(*spec, LongName(*option));
    if (!flag) continue;
    option->description(flag->help);
    if (flag->kind != FlagKind::kSwitch)
      option->check(CLI::Validator([flag](std::string& value) { return CheckFlagValue(*flag, value); },
                                   "", ""));
    if (!flag->repeatable && flag->kind != FlagKind::kSwitch)
      option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  }
}

std::vector<std::string> ParserFlagNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options())
    if (std::string name = LongName(*option); !name.empty() && name != "help") names.push_back(name);
  return names;
}

bool ParseArgs(CLI::App& app, const Args& args, Io& io, int& exit_code) {
  ApplyCommandTable(app);
  exit_code = 1;
  if (std::string unknown = UnknownFlagError(app, args); !unknown.empty()) {
    io.err << "Error: " << unknown << "\n";
    return false;
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    io.out << app.help();
    exit_code = 0;
    return false;
  } catch (const CLI::ParseError& e) {
    io.err << "Error: " << Reworded(e) << "\n";
    return false;
  }
  exit_code = 0;
  return true;
}

}  // namespace stashform::cli
