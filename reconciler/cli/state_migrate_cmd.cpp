// `stashform state migrate -to=URL`: moves the current workspace's state to another place (a
// file or PostgreSQL, either way) with its lineage, serial and journal, as the bytes it is.

#include <fmt/format.h>

#include <ostream>

#include "base/time.h"
#include "base/who.h"
#include "reconciler/cli/session.h"
#include "state/lock_info.h"
#include "state/state_location.h"
#include "state/state_migrate.h"
#include "state/store_options.h"

namespace stashform::cli {

int RunStateMigrate(const Args& args, Io& io) {
  CLI::App app("Move the state to another place (file or postgres://), keeping lineage, serial and journal",
               "stashform state migrate");
  CommonOptions options;
  std::string to;
  bool force = false;
  app.add_option("--chdir", options.chdir, "Switch to this folder first");
  app.add_option("--state", options.state_path, "State file to move (default: the current workspace's)");
  app.add_option("--state-url", options.state_url, "State place to move from (else STASHFORM_STATE_URL)");
  app.add_option("--lock-timeout", options.lock_timeout, "How long to wait for either lock, e.g. 30s");
  app.add_option("--to", to, "Where to: postgres://...?schema=S&workspace=W, or a file path")->required();
  app.add_flag("--force", force, "Replace a state already at the target");
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;

  auto from = ResolveStateLocation(options, io);
  auto store_options = state::StateStoreOptionsFromEnvironment(io.backends.getenv);
  if (!from.ok() || !store_options.ok()) {
    io.err << "Error: " << (from.ok() ? store_options.message() : from.message()) << "\n";
    return 1;
  }
  state::LockInfo lock{state::NewUuid(), "state migrate", WhoRunsThis(), FormatRfc3339(io.backends.clock->WallNow()),
                       from->Shown()};
  auto moved = state::MigrateState(from->where, to, *store_options, force, lock, ParseDuration(options.lock_timeout).value_or(std::chrono::milliseconds(0)));
  if (!moved.ok()) {
    io.err << "Error: " << moved.message() << "\n";
    return 1;
  }
  io.out << fmt::format(
      "Migrated the state from {} to {}: lineage {}, serial {}, {} state bytes and {} journal bytes, unchanged.\n"
      "The source was left as it was; point -state-url or STASHFORM_STATE_URL at the new place.\n",
      from->Shown(), state::DescribeLocation(to), moved->lineage, moved->serial, moved->state_bytes,
      moved->journal_bytes);
  return 0;
}

}  // namespace stashform::cli
