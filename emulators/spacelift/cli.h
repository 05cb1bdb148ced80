#pragma once
// `stashform-emulator spacelift ...`: the subcommand's flags and its run loop.

#include <CLI/CLI.hpp>

#include <memory>

namespace stashform::emulator::spacelift {

struct CliOptions;

/// Adds the `spacelift` subcommand to `cli`; `options` receives its flags.
CLI::App* AddSpaceliftCommand(CLI::App& cli, std::shared_ptr<CliOptions>& options);
/// Serves until SIGTERM or SIGINT; prints `listening on http://127.0.0.1:PORT` once ready.
int RunSpacelift(CliOptions& options);

}  // namespace stashform::emulator::spacelift
