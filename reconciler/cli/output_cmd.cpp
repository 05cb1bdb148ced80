// `stashform output [NAME] [-json] [-show-sensitive]`: the root outputs recorded in the state.
// Sensitive outputs are masked everywhere (null in JSON, with "sensitive": true) unless the user
// asks for them with -show-sensitive, as with `state pull`.

#include <boost/json.hpp>
#include <fmt/format.h>

#include <ostream>

#include "base/did_you_mean.h"
#include "reconciler/cli/session.h"

namespace stashform::cli {

namespace {

namespace json = boost::json;

std::string TypeName(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kBool: return "bool";
    case Value::Kind::kInt:
    case Value::Kind::kNumber: return "number";
    case Value::Kind::kString: return "string";
    case Value::Kind::kList: return "list";
    case Value::Kind::kMap: return "map";
    default: return "null";
  }
}

json::object OutputJson(const Value& value, bool reveal) {
  bool sensitive = value.ContainsSensitive();
  return json::object{{"sensitive", sensitive}, {"type", TypeName(value)},
                      {"value", sensitive && !reveal ? json::value(nullptr) : value.ToJson()}};
}

/// A sensitive output, or one holding a secret anywhere inside, prints as a whole as (sensitive).
std::string Rendered(const Value& value, bool reveal) {
  return reveal ? value.RenderRevealed() : value.ContainsSensitive() ? "(sensitive)" : value.Render();
}

void PrintAll(const Value::Map& outputs, bool as_json, bool reveal, Io& io) {
  if (as_json) {
    json::object all;
    for (const auto& [name, value] : outputs) all[name] = OutputJson(value, reveal);
    io.out << json::serialize(all) << "\n";
    return;
  }
  if (outputs.empty()) {
    io.err << "Warning: no outputs found: the state has none; outputs are recorded by apply\n";
    return;
  }
  for (const auto& [name, value] : outputs) io.out << fmt::format("{} = {}\n", name, Rendered(value, reveal));
}

}  // namespace

int RunOutput(const Args& args, Io& io) {
  CLI::App app("Show the outputs recorded in the state", "stashform output");
  CommonOptions options;
  options.lock = false;  // reading only; a save is an atomic rename
  std::string name;
  bool as_json = false;
  bool reveal = false;
  app.add_option("name", name, "One output; its value alone is printed");
  app.add_option("--chdir", options.chdir, "Switch to this folder first");
  app.add_option("--state", options.state_path, "State file (default: stashform.state.json)");
  app.add_flag("--json", as_json, "Print as JSON; sensitive values are null and marked \"sensitive\": true");
  app.add_flag("--show-sensitive", reveal, "Print sensitive values in the clear (never in CI logs)");
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;

  Session session;
  if (!session.OpenState(options, "output", io)) return 1;
  const Value::Map& outputs = session.state().outputs;
  if (name.empty()) {
    PrintAll(outputs, as_json, reveal, io);
    return 0;
  }
  auto found = outputs.find(name);
  if (found == outputs.end()) {
    std::vector<std::string> names;
    for (const auto& [known, value] : outputs) names.push_back(known);
    std::string hint = DidYouMean(name, names);
    io.err << fmt::format("Error: output \"{}\" not found in the state{}\n", name,
                          hint.empty() ? "" : " (" + hint + ")");
    return 1;
  }
  const Value& value = found->second;
  bool masked = value.ContainsSensitive() && !reveal;
  io.out << (as_json ? (masked ? std::string("null") : json::serialize(value.ToJson())) : Rendered(value, reveal)) << "\n";
  return 0;
}

}  // namespace stashform::cli
