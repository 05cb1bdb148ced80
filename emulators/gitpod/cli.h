#pragma once
// `stashform-emulator gitpod ...`: the subcommand's flags and its run loop.

#include <CLI/CLI.hpp>

#include <memory>

namespace stashform::emulator::gitpod {

struct CliOptions;

/// Adds the `gitpod` subcommand to `cli`; `options` receives its flags.
CLI::App* AddGitpodCommand(CLI::App& cli, std::shared_ptr<CliOptions>& options);
/// Serves until SIGTERM or SIGINT; prints `listening on http://127.0.0.1:PORT` once ready.
int RunGitpod(CliOptions& options);

}  // namespace stashform::emulator::gitpod
