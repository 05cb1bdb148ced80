// `stashform state list|show|rm|mv|pull`: read and edit the state file without touching any remote
// object. rm and mv lock the state; list, show and pull only read it (an atomic rename never
// leaves a half-written file), so they take no lock unless -lock=true asks for one.

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>

#include "base/did_you_mean.h"
#include "reconciler/cli/session.h"
#include "reconciler/cli/subcommands.h"
#include "state/masking.h"
#include "state/state_commands.h"

namespace stashform::cli {

namespace json = boost::json;

namespace {

/// The recorded address closest to `text`: by name among addresses of the same type (long
/// addresses share so much text that a whole-string distance would suggest anything), else by
/// the whole text, which catches a misspelt type.
std::optional<std::string> SuggestAddress(const std::string& text, const std::vector<std::string>& known) {
  if (auto address = ResourceAddress::Parse(text)) {
    std::vector<std::string> names;
    std::map<std::string, std::string> by_name;
    for (const auto& candidate : known) {
      auto parsed = ResourceAddress::Parse(candidate);
      if (!parsed || parsed->type != address->type || parsed->module != address->module) continue;
      names.push_back(parsed->name);
      by_name[parsed->name] = candidate;
    }
    if (!names.empty()) {
      auto name = ClosestMatch(address->name, names);
      return name ? std::optional(by_name[*name]) : std::nullopt;
    }
  }
  return ClosestMatch(text, known);
}

}  // namespace

std::optional<ResourceAddress> ParseAddressArgument(const std::string& text, const std::vector<std::string>& known,
                                                    bool must_exist, const std::string& where, Io& io) {
  auto closest = SuggestAddress(text, known);
  std::string hint = closest ? fmt::format(" (did you mean {}?)", *closest) : "";
  auto address = ResourceAddress::Parse(text);
  if (!address) {
    io.err << fmt::format("Error: invalid resource address \"{}\": expected TYPE[\"NAME\"], e.g. "
                          "bitbucket.webhook[\"INFRA/api\"]{}\n", text, hint);
    return std::nullopt;
  }
  if (must_exist && std::find(known.begin(), known.end(), address->ToString()) == known.end()) {
    io.err << fmt::format("Error: no resource {} in {}{}\n", address->ToString(), where, hint);
    return std::nullopt;
  }
  return address;
}

namespace {

/// Options every state subcommand shares: where the state is and how to lock it.
void AddStateOptions(CLI::App& app, CommonOptions& options) {
  app.add_option("--chdir", options.chdir, "Switch to this folder first");
  app.add_option("--state", options.state_path, "State file (default: stashform.state.json)");
  app.add_option("--state-url", options.state_url, "State place: postgres://... or a file (else STASHFORM_STATE_URL)");
  app.add_option("--lock", options.lock, "Lock the state file");
  app.add_option("--lock-timeout", options.lock_timeout, "How long to wait for the state lock, e.g. 30s");
}

/// Loads the state for a subcommand; a missing file is an error, since there is nothing to act on.
bool OpenExistingState(Session& session, const CommonOptions& options, const std::string& operation, Io& io) {
  auto location = ResolveStateLocation(options, io);
  if (location.ok() && !io.backends.state_exists(location->where)) {
    io.err << fmt::format("Error: no state file at {}; state commands need one (run apply first, or "
                          "point -state at it)\n", location->Shown());
    return false;
  }
  return session.OpenState(options, operation, io);
}

std::vector<std::string> Addresses(const state::State& state) {
  std::vector<std::string> out;
  for (const auto& resource : state.resources) out.push_back(resource.address.ToString());
  return out;
}

bool Save(Session& session, Io& io) {
  Status saved = session.store().Save(session.state());
  if (!saved.ok()) io.err << "Error: " << saved.message() << "\n";
  return saved.ok();
}

int RunStateList(const Args& args, Io& io) {
  CLI::App app("List the resources in the state", "stashform state list");
  CommonOptions options;
  options.lock = false;
  bool as_json = false;
  std::vector<std::string> filters;
  AddStateOptions(app, options);
  app.add_flag("--json", as_json, "Print the list as JSON");
  app.add_option("address", filters, "Only addresses that start with one of these");
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  Session session;
  if (!OpenExistingState(session, options, "state list", io)) return 1;

  json::array listed;
  for (const auto& resource : session.state().resources) {
    std::string address = resource.address.ToString();
    bool wanted = filters.empty() || std::any_of(filters.begin(), filters.end(), [&](const std::string& prefix) {
                    return address.rfind(prefix, 0) == 0;
                  });
    if (!wanted) continue;
    if (!as_json) {
      io.out << address << "\n";
      continue;
    }
    listed.push_back(json::object{{"address", address}, {"module", resource.address.module},
                                  {"type", resource.address.type}, {"name", resource.address.name},
                                  {"server", resource.server}, {"id", resource.id}});
  }
  if (as_json) io.out << json::serialize(json::object{{"format_version", "1.0"}, {"resources", listed}}) << "\n";
  return 0;
}

/// `  key = value` lines aligned on the longest key; values already masked.
void PrintAligned(const std::vector<std::pair<std::string, std::string>>& lines, Io& io) {
  size_t width = 0;
  for (const auto& [key, value] : lines) width = std::max(width, key.size());
  for (const auto& [key, value] : lines) io.out << fmt::format("    {:<{}} = {}\n", key, width, value);
}

void PrintResource(const state::ResourceState& resource, Io& io) {
  io.out << fmt::format("# {}:\n", resource.address.ToString());
  io.out << fmt::format("resource \"{}\" \"{}\" {{\n", resource.address.type, resource.address.name);
  std::vector<std::pair<std::string, std::string>> lines = {{"server", Value(resource.server).Render()}};
  // Types that report their id as an attribute show it once, in its place among them.
  if (!resource.attributes.count("id")) lines.emplace_back("id", Value(resource.id).Render());
  for (const auto& [key, value] : state::MaskSensitive(resource.attributes)) lines.emplace_back(key, value.Render());
  // Private data is what only a create answer carried (a token's value): all of it is secret.
  for (const auto& [key, value] : resource.private_data) lines.emplace_back("private." + key, state::kMaskedValue);
  if (!resource.dependencies.empty())
    lines.emplace_back("dependencies", Value::StringList(resource.dependencies).Render());
  if (resource.prevent_destroy) lines.emplace_back("prevent_destroy", "true");
  if (resource.keep_on_removal) lines.emplace_back("keep_on_removal", "true");
  if (resource.create_answer_lost) lines.emplace_back("create_answer_lost", "true");
  PrintAligned(lines, io);
  io.out << "}\n";
}

int RunStateShow(const Args& args, Io& io) {
  CLI::App app("Show a resource in the state, secrets masked", "stashform state show");
  CommonOptions options;
  options.lock = false;
  std::string text;
  AddStateOptions(app, options);
  app.add_option("address", text, "The resource, e.g. bitbucket.webhook[\"INFRA/api\"]")->required();
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  Session session;
  if (!OpenExistingState(session, options, "state show", io)) return 1;
  auto address = ParseAddressArgument(text, Addresses(session.state()), true, "the state", io);
  if (!address) return 1;
  PrintResource(*session.state().Find(*address), io);
  return 0;
}

int RunStateRm(const Args& args, Io& io) {
  CLI::App app("Forget resources: remove them from the state, leaving the remote objects alone",
               "stashform state rm");
  CommonOptions options;
  std::vector<std::string> texts;
  bool dry_run = false;
  AddStateOptions(app, options);
  app.add_flag("--dry-run", dry_run, "Print what would be removed, and change nothing");
  app.add_option("address", texts, "The resources to forget")->required();
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  Session session;
  if (!OpenExistingState(session, options, "state rm", io)) return 1;

  // Every address must parse and be in the state: all or nothing.
  std::vector<ResourceAddress> addresses;
  std::vector<std::string> known = Addresses(session.state());
  for (const auto& text : texts)
    if (auto address = ParseAddressArgument(text, known, true, "the state", io)) addresses.push_back(*address);
  if (addresses.size() != texts.size()) {
    io.err << "Nothing was removed.\n";
    return 1;
  }
  for (const auto& address : addresses)
    io.out << fmt::format("{} {}\n", dry_run ? "Would remove" : "Removed", address.ToString());
  if (dry_run) return 0;
  Status removed = state::RemoveResources(session.state(), addresses);
  if (!removed.ok()) {
    io.err << "Error: " << removed.message() << "\n";
    return 1;
  }
  if (!Save(session, io)) return 1;
  io.out << fmt::format("Successfully removed {} resource(s) from the state; the remote objects were not "
                        "touched.\n", addresses.size());
  return 0;
}

int RunStateMv(const Args& args, Io& io) {
  CLI::App app("Rename a resource in the state, e.g. into a module, without replacing it", "stashform state mv");
  CommonOptions options;
  std::string from_text, to_text;
  bool dry_run = false;
  AddStateOptions(app, options);
  app.add_flag("--dry-run", dry_run, "Print what would be moved, and change nothing");
  app.add_option("from", from_text, "The address in the state")->required();
  app.add_option("to", to_text, "The new address")->required();
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  Session session;
  if (!OpenExistingState(session, options, "state mv", io)) return 1;

  std::vector<std::string> known = Addresses(session.state());
  auto from = ParseAddressArgument(from_text, known, true, "the state", io);
  auto to = from ? ParseAddressArgument(to_text, known, false, "the state", io) : std::nullopt;
  if (!from || !to) return 1;
  Status moved = state::MoveResource(session.state(), *from, *to);
  if (!moved.ok()) {
    io.err << "Error: " << moved.message() << "\n";
    return 1;
  }
  io.out << fmt::format("{} \"{}\" to \"{}\"\n", dry_run ? "Would move" : "Move", from->ToString(), to->ToString());
  if (dry_run) return 0;
  if (!Save(session, io)) return 1;
  io.out << "Successfully moved 1 object(s).\n";
  return 0;
}

int RunStatePull(const Args& args, Io& io) {
  CLI::App app("Print the state as JSON, secrets masked", "stashform state pull");
  CommonOptions options;
  options.lock = false;
  bool show_sensitive = false;
  AddStateOptions(app, options);
  app.add_flag("--show-sensitive", show_sensitive, "Print secrets in the clear (never in CI logs)");
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  Session session;
  if (!OpenExistingState(session, options, "state pull", io)) return 1;
  io.out << state::EncodeStateForPull(session.state(), show_sensitive);
  return 0;
}

const std::vector<Subcommand>& Subcommands() {
  static const std::vector<Subcommand> kSubcommands = {
      {"list", "List the resources in the state", &RunStateList},
      {"show", "Show a resource in the state, secrets masked", &RunStateShow},
      {"rm", "Forget resources without deleting the remote objects", &RunStateRm},
      {"mv", "Rename a resource in the state", &RunStateMv},
      {"pull", "Print the state as JSON, secrets masked unless -show-sensitive", &RunStatePull},
      {"migrate", "Move the state to another place (file or postgres://) as it is", &RunStateMigrate},
  };
  return kSubcommands;
}

}  // namespace

int RunState(const Args& args, Io& io) {
  return RunSubcommand("state", "Usage: stashform state <subcommand> [options] [args]", Subcommands(), args, io);
}

}  // namespace stashform::cli
