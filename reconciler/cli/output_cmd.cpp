// `stashform output [NAME] [-json]`: the root outputs recorded in the state. Text masks sensitive
// outputs; -json, as Terraform's, carries their values with "sensitive": true for tools to read.

#include <boost/json.hpp>
#include <fmt/format.h>

#include <ostream>

#include "reconciler/base/did_you_mean.h"
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

json::object OutputJson(const Value& value) {
  return json::object{{"sensitive", value.ContainsSensitive()}, {"type", TypeName(value)}, {"value", value.ToJson()}};
}

/// A sensitive output, or one holding a secret anywhere inside, prints as a whole as (sensitive).
std::string Rendered(const Value& value) { return value.ContainsSensitive() ? "(sensitive)" : value.Render(); }

void PrintAll(const Value::Map& outputs, bool as_json, Io& io) {
  if (as_json) {
    json::object all;
    for (const auto& [name, value] : outputs) all[name] = OutputJson(value);
    io.out << json::serialize(all) << "\n";
    return;
  }
  if (outputs.empty()) {
    io.err << "Warning: no outputs found: the state has none; outputs are recorded by apply\n";
    return;
  }
  for (const auto& [name, value] : outputs) io.out << fmt::format("{} = {}\n", name, Rendered(value));
}

}  // namespace

int RunOutput(const Args& args, Io& io) {
  CLI::App app("Show the outputs recorded in the state", "stashform output");
  CommonOptions options;
  options.lock = false;  // reading only; a save is an atomic rename
  std::string name;
  bool as_json = false;
  app.add_option("name", name, "One output; its value alone is printed");
  app.add_option("--chdir", options.chdir, "Switch to this folder first");
  app.add_option("--state", options.state_path, "State file (default: stashform.state.json)");
  app.add_flag("--json", as_json, "Print as JSON, sensitive values included and marked \"sensitive\": true");
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;

  Session session;
  if (!session.OpenState(options, "output", io)) return 1;
  const Value::Map& outputs = session.state().outputs;
  if (name.empty()) {
    PrintAll(outputs, as_json, io);
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
  io.out << (as_json ? json::serialize(found->second.ToJson()) : Rendered(found->second)) << "\n";
  return 0;
}

}  // namespace stashform::cli
