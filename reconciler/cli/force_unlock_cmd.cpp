// `stashform force-unlock ID`: removes the lock a dead run left on the state, only when its id
// matches, after a confirmation (or -force).

#include <fmt/format.h>

#include <istream>
#include <ostream>

#include "reconciler/cli/session.h"

namespace stashform::cli {

namespace {

bool ConfirmUnlock(const state::LockInfo& holder, const std::string& state_path, Io& io) {
  io.out << fmt::format(
      "Do you really want to force-unlock?\n"
      "  stashform will remove the lock on {}, held by {} ({}, since {}).\n"
      "  If that run is still alive, two runs may then change the state at once.\n"
      "  Only 'yes' will be accepted to confirm.\n\n"
      "  Enter a value: ",
      state_path, holder.who, holder.operation, holder.created);
  io.out.flush();
  std::string answer;
  std::getline(io.in, answer);
  io.out << "\n";
  return answer == "yes";
}

}  // namespace

int RunForceUnlock(const Args& args, Io& io) {
  CLI::App app("Remove the lock a dead run left on the state", "stashform force-unlock");
  CommonOptions options;
  std::string lock_id;
  bool force = false;
  app.add_option("id", lock_id, "The lock ID, as the locked error prints it")->required();
  app.add_option("dir", options.dir, "Configuration folder (default: the current folder)");
  app.add_option("--chdir", options.chdir, "Switch to this folder first");
  app.add_option("--state", options.state_path, "State file (default: DIR/stashform.state.json)");
  app.add_option("--state-url", options.state_url, "State place: postgres://... or a file (else STASHFORM_STATE_URL)");
  app.add_flag("--force", force, "Do not ask for confirmation");
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;

  auto location = ResolveStateLocation(options, io);
  if (!location.ok()) {
    io.err << "Error: " << location.message() << "\n";
    return 1;
  }
  const std::string state_path = location->Shown();
  // A missing lock or a wrong id is refused before anyone is asked anything.
  std::unique_ptr<state::StateStore> store = io.backends.open_state_store(location->where, {});
  state::Locker& locker = store->locker();
  auto holder = locker.Holder();
  if (!holder) {
    io.err << fmt::format("Error: {} is not locked\n", state_path);
    return 1;
  }
  if (holder->id != lock_id) {
    io.err << fmt::format("Error: lock ID \"{}\" does not match the lock on {} (lock ID {}, held by {})\n", lock_id,
                          state_path, holder->id, holder->who);
    return 1;
  }
  if (!force && !io.in_is_terminal) {
    io.err << "Error: force-unlock needs confirmation, but standard input is not a terminal; pass -force "
              "to unlock without asking\n";
    return 1;
  }
  if (!force && !ConfirmUnlock(*holder, state_path, io)) {
    io.err << "Error: force-unlock cancelled; only 'yes' confirms\n";
    return 1;
  }
  // The locker checks the id again, so a lock taken meanwhile by another run stays.
  Status unlocked = locker.ForceUnlock(lock_id);
  if (!unlocked.ok()) {
    io.err << "Error: " << unlocked.message() << "\n";
    return 1;
  }
  io.out << fmt::format("The lock {} on {} has been removed; stashform commands can lock the state again.\n",
                        lock_id, state_path);
  return 0;
}

}  // namespace stashform::cli
