// stashform's entry point: wiring only (the real streams and backends); the commands live beside it.

#include <unistd.h>

#include <iostream>

#include "reconciler/cli/backends.h"
#include "reconciler/cli/commands.h"

int main(int argc, char** argv) {
  stashform::cli::Args args(argv + 1, argv + argc);
  stashform::cli::Io io{std::cout, std::cerr, std::cin, isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1,
                               isatty(STDERR_FILENO) == 1, stashform::cli::RealBackends()};
  int code = stashform::cli::Main(args, io);
  std::cout.flush();
  return code;
}
