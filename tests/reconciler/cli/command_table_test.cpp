// The command table against what it generates and what the parser takes: docs/cli.md's reference
// section, the bash completion (run in a real bash), the man page, every command's parser, the
// flag value checks with their pinned messages, STASHFORM_CLI_ARGS and "did you mean" for flags.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "reconciler/cli/cli_docs.h"
#include "reconciler/cli/command_table.h"
#include "reconciler/cli/commands.h"
#include "tests/support/fake_backends.h"

namespace stashform::cli {
namespace {

struct Ran {
  int code = -1;
  std::string out;
  std::string err;
};

Ran RunMain(const Args& args, FakeBackends& fakes) {
  RecordedTerminal terminal;
  Io io = terminal.MakeIo(fakes.backends());
  Ran ran;
  ran.code = Main(args, io);
  ran.out = terminal.out.str();
  ran.err = terminal.err.str();
  return ran;
}

std::vector<std::string> Words(const std::string& name) {
  std::vector<std::string> words;
  std::istringstream in(name);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

/// The long (and one-letter) option names a CLI11 help lists, "help" left out.
std::set<std::string> HelpFlags(const std::string& help) {
  std::set<std::string> names;
  std::istringstream lines(help);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("  -", 0) != 0) continue;
    std::string first = line.substr(2, line.find(' ', 2) - 2);
    std::istringstream parts(first);
    for (std::string part; std::getline(parts, part, ',');) {
      std::string name = part.substr(part.find_first_not_of('-'));
      if (name != "help" && name != "h") names.insert(name);
    }
  }
  return names;
}

TEST(CommandTable, EveryCommandsParserTakesExactlyTheFlagsOfItsRow) {
  for (const auto& spec : CommandSpecs()) {
    if (spec.arguments == "SUBCOMMAND") continue;
    FakeBackends fakes;
    Args args = Words(spec.name);
    args.push_back("-help");
    Ran ran = RunMain(args, fakes);
    ASSERT_EQ(ran.code, 0) << spec.name << ": " << ran.err;
    std::set<std::string> in_table;
    for (const auto& flag : spec.flags) in_table.insert(flag.name);
    EXPECT_EQ(HelpFlags(ran.out), in_table) << "stashform " << spec.name << ": parser and command table differ";
    for (const auto& flag : spec.flags)
      EXPECT_NE(ran.out.find(flag.help), std::string::npos) << spec.name << " -" << flag.name << ": help not from the table";
  }
}

TEST(CommandTable, TheHelpListsEveryCommandOfTheTable) {
  FakeBackends fakes;
  Ran ran = RunMain({"-help"}, fakes);
  for (const auto& spec : CommandSpecs())
    if (spec.name.find(' ') == std::string::npos) {
      EXPECT_NE(ran.out.find("  " + spec.name + " "), std::string::npos) << spec.name;
    }
}

TEST(CommandTable, DocsCliMdHoldsTheReferenceTheTableGenerates) {
  const std::string path = std::string(STASHFORM_SOURCE_DIR) + "/docs/cli.md";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto expected = WithGeneratedSection(text.str());
  ASSERT_TRUE(expected.has_value()) << path << " has lost its generated section's markers";
  EXPECT_TRUE(*expected == text.str()) << "docs/cli.md differs from the command table; regenerate it with: "
                                       << kRegenerateDocs;
}

TEST(CommandTable, TheGeneratedReferenceHasEveryCommandAndFlag) {
  const std::string reference = CommandReferenceMarkdown();
  EXPECT_NE(reference.find("### `stashform plan [options] [DIR]`"), std::string::npos);
  EXPECT_NE(reference.find("| `-lock-timeout=DURATION` | `0s` |"), std::string::npos);
  EXPECT_NE(reference.find("| `-format=text\\|markdown\\|json` | `text` |"), std::string::npos);
  EXPECT_NE(reference.find("- `state list`: List the resources in the state"), std::string::npos);
}

TEST(CommandTable, TheManPageHasASectionPerCommandAndEveryFlag) {
  const std::string man = ManPage("9.9.9");
  EXPECT_EQ(man.rfind(".\\\"", 0), 0u);
  EXPECT_NE(man.find(".TH STASHFORM 1 \"\" \"stashform 9.9.9\""), std::string::npos);
  for (const auto& spec : CommandSpecs()) {
    std::string roff_command;
    for (char c : spec.name) roff_command += c == '-' ? std::string("\\-") : std::string(1, c);
    EXPECT_NE(man.find(".SS \"stashform " + roff_command), std::string::npos) << spec.name;
    for (const auto& flag : spec.flags) {
      std::string roff_name;
      for (char c : flag.name) roff_name += c == '-' ? std::string("\\-") : std::string(1, c);
      EXPECT_NE(man.find(".B \\-" + roff_name), std::string::npos) << spec.name << " -" << flag.name;
    }
  }
}

/// Runs the generated bash completion for the words typed so far (the last one partial) and
/// returns COMPREPLY, one word a line.
std::string Complete(const std::vector<std::string>& typed) {
  const std::string script = (std::filesystem::temp_directory_path() / ("stashform-completion-" + std::to_string(getpid()))).string();
  std::ofstream(script) << BashCompletion();
  std::string words;
  for (const auto& word : typed) words += " '" + word + "'";
  const std::string command = "bash --norc --noprofile -c \"source " + script + "; COMP_WORDS=(" + words +
                              "); COMP_CWORD=" + std::to_string(typed.size() - 1) +
                              "; _stashform; printf '%s\\n' \\\"\\${COMPREPLY[@]}\\\"\"";
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    for (size_t got; (got = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, got);
    pclose(pipe);
  }
  std::filesystem::remove(script);
  return out;
}

TEST(BashCompletion, APartialCommandCompletesToTheCommandsItBegins) {
  EXPECT_EQ(Complete({"stashform", "pl"}), "plan\n");
  EXPECT_EQ(Complete({"stashform", "co"}), "console\n");
}

TEST(BashCompletion, APartialFlagCompletesToThatCommandsFlags) {
  EXPECT_EQ(Complete({"stashform", "apply", "-auto"}), "-auto-approve\n");
  EXPECT_EQ(Complete({"stashform", "plan", "-lock-t"}), "-lock-timeout=\n");
  EXPECT_EQ(Complete({"stashform", "version", "-j"}), "-json\n");
}

TEST(BashCompletion, AFlagsValueCompletesFromItsChoicesAndASubcommandFromItsGroup) {
  EXPECT_EQ(Complete({"stashform", "plan", "-format", "=", "ma"}), "markdown\n");
  EXPECT_EQ(Complete({"stashform", "apply", "-lock", "=", "f"}), "false\n");
  EXPECT_EQ(Complete({"stashform", "state", "l"}), "list\n");
  EXPECT_EQ(Complete({"stashform", "state", "list", "-js"}), "-json\n");
}

TEST(ZshCompletion, DefinesTheFunctionForEveryCommand) {
  const std::string zsh = ZshCompletion();
  EXPECT_EQ(zsh.rfind("#compdef stashform\n", 0), 0u);
  EXPECT_NE(zsh.find("'-lock-timeout=[How long to wait for another run'\\''s lock"), std::string::npos);
  for (const auto& spec : CommandSpecs())
    if (spec.name.find(' ') == std::string::npos) {
      EXPECT_NE(zsh.find("'" + spec.name + ":"), std::string::npos) << spec.name;
    }
}

// Flag values: each bad one is refused before anything runs, naming the flag and what it takes.

TEST(FlagValues, DurationsTakeTerraformsFormsAndNothingElse) {
  EXPECT_EQ(ParseDuration("30s"), std::chrono::seconds(30));
  EXPECT_EQ(ParseDuration("5m"), std::chrono::minutes(5));
  EXPECT_EQ(ParseDuration("1h"), std::chrono::hours(1));
  EXPECT_EQ(ParseDuration("0s"), std::chrono::milliseconds(0));
  EXPECT_EQ(ParseDuration("0"), std::chrono::milliseconds(0));
  EXPECT_EQ(ParseDuration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(ParseDuration("1h30m"), std::chrono::minutes(90));
  EXPECT_EQ(ParseDuration("1.5s"), std::chrono::milliseconds(1500));
  for (const char* bad : {"abc", "1d", "-5s", "30", "", "s", "5 s", ".s", "1h-5m"})
    EXPECT_FALSE(ParseDuration(bad).has_value()) << bad;
}

TEST(FlagValues, ABadLockTimeoutIsAnErrorNamingTheFlagAndTheAcceptedForms) {
  for (const char* bad : {"abc", "1d", "-5s"}) {
    FakeBackends fakes;
    Ran ran = RunMain({"plan", std::string("-lock-timeout=") + bad}, fakes);
    EXPECT_EQ(ran.code, 1);
    EXPECT_EQ(ran.err, std::string("Error: -lock-timeout \"") + bad +
                           "\" is not a duration; use a number and a unit (ms, s, m, h): 500ms, 30s, 5m, 1h, 1h30m, "
                           "or 0s\n");
    EXPECT_TRUE(fakes.clients_made().empty());
  }
}

TEST(FlagValues, ParallelismMustBeAWholeNumberFromOneTo256) {
  for (const char* bad : {"0", "-3", "abc", "257", "2.5"}) {
    FakeBackends fakes;
    Ran ran = RunMain({"apply", std::string("-parallelism=") + bad}, fakes);
    EXPECT_EQ(ran.code, 1) << bad;
    EXPECT_EQ(ran.err, std::string("Error: -parallelism \"") + bad +
                           "\" is not a count; use a whole number from 1 to 256 (default 16)\n");
  }
}

TEST(FlagValues, ABoolFlagTakesTrueOrFalse) {
  FakeBackends fakes;
  Ran ran = RunMain({"plan", "-input=maybe"}, fakes);
  EXPECT_EQ(ran.code, 1);
  EXPECT_EQ(ran.err, "Error: -input \"maybe\": use -input=true or -input=false\n");
}

TEST(FlagValues, AChoiceNamesTheFlag) {
  FakeBackends fakes;
  Ran ran = RunMain({"plan", "-format=yaml"}, fakes);
  EXPECT_EQ(ran.code, 1);
  EXPECT_NE(ran.err.find("-format"), std::string::npos) << ran.err;
  EXPECT_EQ(ran.err.find("--format"), std::string::npos) << ran.err;
}

TEST(DidYouMean, AMistypedFlagGetsTheCommandsClosestFlag) {
  FakeBackends fakes;
  Ran ran = RunMain({"plan", "-paralelism=4"}, fakes);
  EXPECT_EQ(ran.code, 1);
  EXPECT_EQ(ran.err, "Error: flag -paralelism is not one of stashform plan's (did you mean -parallelism?); "
                     "\"stashform plan -help\" lists them\n");
  Ran state = RunMain({"state", "list", "--jsn"}, fakes);
  EXPECT_EQ(state.err, "Error: flag -jsn is not one of stashform state list's (did you mean -json?); "
                       "\"stashform state list -help\" lists them\n");
  Ran far = RunMain({"version", "-xyzzy"}, fakes);
  EXPECT_EQ(far.err, "Error: flag -xyzzy is not one of stashform version's; \"stashform version -help\" lists them\n");
}

TEST(DidYouMean, AMistypedCommandGetsTheClosestCommand) {
  FakeBackends fakes;
  Ran ran = RunMain({"provders"}, fakes);
  EXPECT_EQ(ran.code, 1);
  EXPECT_EQ(ran.err, "Error: unknown command \"provders\" (did you mean \"providers\"?)\n"
                     "Run \"stashform -help\" for the list of commands.\n");
}

TEST(CliArgsFromTheEnvironment, AreReadBeforeTheCommandLineWhichWins) {
  FakeBackends fakes;
  fakes.env.Set("STASHFORM_CLI_ARGS", "-json");
  Ran json = RunMain({"version"}, fakes);
  EXPECT_EQ(json.out.rfind("{\"terraform_version\":", 0), 0u) << json.out << json.err;
  fakes.env.Set("STASHFORM_CLI_ARGS", "");
  fakes.env.Set("STASHFORM_CLI_ARGS_plan", "-lock-timeout=1d");
  Ran bad = RunMain({"plan"}, fakes);
  EXPECT_NE(bad.err.find("Error: -lock-timeout \"1d\" is not a duration"), std::string::npos) << bad.err;
  // The command line's own value comes later and wins.
  fakes.env.Set("STASHFORM_CLI_ARGS_plan", "");
  fakes.env.Set("STASHFORM_CLI_ARGS_state", "-state=/nonexistent-stashform/from-env.json");
  Ran overridden = RunMain({"state", "list", "-state=/nonexistent-stashform/typed.json"}, fakes);
  EXPECT_NE(overridden.err.find("typed.json"), std::string::npos) << overridden.err;
  EXPECT_EQ(overridden.err.find("from-env.json"), std::string::npos) << overridden.err;
  // Another command's variable is not read.
  fakes.env.Set("STASHFORM_CLI_ARGS_apply", "-bogus");
  EXPECT_EQ(RunMain({"version"}, fakes).code, 0);
}

// A password typed on the command line shows in `ps` to every user of the machine; the warning
// says where to put it instead and never repeats it.
TEST(PasswordsOnTheCommandLine, AStateUrlWithAPasswordIsWarnedOfWithoutShowingIt) {
  FakeBackends fakes;
  const std::string warning = "Warning: the password in -state-url can be read by other users of this machine (ps)";
  for (const Args& args : {Args{"state", "list", "-state-url=postgres://ci:hunter2-secret@127.0.0.1:1/db"},
                           Args{"state", "list", "--state-url", "postgres://127.0.0.1:1/db?password=hunter2-secret"}}) {
    Ran ran = RunMain(args, fakes);
    EXPECT_NE(ran.err.find(warning), std::string::npos) << ran.err;
    EXPECT_NE(ran.err.find("give it in PGPASSWORD or ~/.pgpass instead"), std::string::npos) << ran.err;
    EXPECT_EQ(ran.err.find("hunter2-secret"), std::string::npos) << ran.err;
    EXPECT_EQ(ran.out.find("hunter2-secret"), std::string::npos) << ran.out;
  }
  Ran migrate = RunMain({"state", "migrate", "-to=postgres://ci:hunter2-secret@127.0.0.1:1/db"}, fakes);
  EXPECT_NE(migrate.err.find("Warning: the password in -to can be read"), std::string::npos) << migrate.err;
  // No password, or the URL from the environment (not in the process list): no warning.
  EXPECT_EQ(RunMain({"state", "list", "-state-url=postgres://ci@127.0.0.1:1/db"}, fakes).err.find("Warning: the password"),
            std::string::npos);
  fakes.env.Set("STASHFORM_STATE_URL", "postgres://ci:hunter2-secret@127.0.0.1:1/db");
  EXPECT_EQ(RunMain({"state", "list"}, fakes).err.find("Warning: the password"), std::string::npos);
  fakes.env.Set("STASHFORM_CLI_ARGS_state", "-state-url=postgres://ci:hunter2-secret@127.0.0.1:1/db");
  EXPECT_EQ(RunMain({"state", "list"}, fakes).err.find("Warning: the password"), std::string::npos);
}

TEST(CliArgsFromTheEnvironment, GoAfterAGroupsSubcommandAndSplitLikeAShell) {
  FakeBackends fakes;
  fakes.env.Set("STASHFORM_CLI_ARGS_state", "-state='/no such/dir/s.json'");
  Ran ran = RunMain({"state", "list"}, fakes);
  EXPECT_EQ(ran.code, 1);
  EXPECT_NE(ran.err.find("/no such/dir/s.json"), std::string::npos) << ran.err;
}

TEST(Version, JsonHasTerraformsKeysAndStashformsVersion) {
  FakeBackends fakes;
  Ran ran = RunMain({"version", "-json"}, fakes);
  ASSERT_EQ(ran.code, 0);
  // The platform is the build's, linux_amd64 here; the rest is fixed.
  const std::string head = std::string("{\"terraform_version\":\"") + STASHFORM_VERSION + "\",\"platform\":\"linux_";
  const std::string tail = std::string("\",\"provider_selections\":{},\"terraform_outdated\":false,\"stashform_version\":\"") +
                           STASHFORM_VERSION + "\"}\n";
  EXPECT_EQ(ran.out.rfind(head, 0), 0u) << ran.out;
  EXPECT_EQ(ran.out.substr(ran.out.size() - tail.size()), tail) << ran.out;
  EXPECT_EQ(RunMain({"version"}, fakes).out.rfind(std::string("stashform v") + STASHFORM_VERSION + "\non linux_", 0), 0u);
}

TEST(Providers, ListsEachModulesResourceAndDataSourceTypes) {
  FakeBackends fakes;
  Ran ran = RunMain({"providers"}, fakes);
  ASSERT_EQ(ran.code, 0) << ran.err;
  EXPECT_NE(ran.out.find("\nbitbucket\n  server block: bitbucket.server\n"), std::string::npos) << ran.out;
  EXPECT_NE(ran.out.find("  resource:     bitbucket.webhook\n"), std::string::npos);
  EXPECT_NE(ran.out.find("  data source:  bitbucket.repositories\n"), std::string::npos);
  for (const char* module : {"spacelift", "gitpod", "packagist", "backstage"})
    EXPECT_NE(ran.out.find(std::string("\n") + module + "\n"), std::string::npos) << module;
  EXPECT_TRUE(fakes.clients_made().empty());
}

}  // namespace
}  // namespace stashform::cli
