// stashform's entry point: wiring only (the real streams and backends); the commands live beside it.

#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "reconciler/cli/backends.h"
#include "reconciler/cli/commands.h"

namespace {

// glibc gives each thread that allocates while another holds an arena an arena of its own, up to
// 8 per core; the 32 request threads of an apply, mostly waiting on the network, each kept a
// half-used one. Two arenas (thread caches still serve small blocks without a lock): a 10k apply's
// peak 150 -> 134 MiB, CPU unchanged (bench/README.md, eighth round). A user's own setting wins.
void LimitMallocArenas() {
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr && std::getenv("GLIBC_TUNABLES") == nullptr) mallopt(M_ARENA_MAX, 2);
}

}  // namespace

int main(int argc, char** argv) {
  LimitMallocArenas();
  stashform::cli::Args args(argv + 1, argv + argc);
  stashform::cli::Io io{std::cout, std::cerr, std::cin, isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1,
                               isatty(STDERR_FILENO) == 1, stashform::cli::RealBackends()};
  int code = stashform::cli::Main(args, io);
  std::cout.flush();
  return code;
}
