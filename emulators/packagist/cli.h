#pragma once
// `stashform-emulator packagist ...`: the subcommand's flags and its run loop.

#include <CLI/CLI.hpp>

#include <memory>

namespace stashform::emulator::packagist {

struct CliOptions;

/// Adds the `packagist` subcommand to `cli`; `options` receives its flags.
CLI::App* AddPackagistCommand(CLI::App& cli, std::shared_ptr<CliOptions>& options);
/// Serves until SIGTERM or SIGINT; prints `listening on http://127.0.0.1:PORT` once ready.
int RunPackagist(CliOptions& options);

}  // namespace stashform::emulator::packagist
