// `stashform output [NAME] [-json | -raw] [-show-sensitive]`: the root outputs recorded in the
// state. As with `terraform output`, the plain text masks sensitive values and the machine forms
// (-json, -raw) print them in full, "sensitive": true beside them: a script asked for the value.
// -show-sensitive reveals them in the plain text too.

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

json::object OutputJson(const Value& value) {
  return json::object{{"sensitive", value.ContainsSensitive()}, {"type", TypeName(value)}, {"value", value.ToJson()}};
}

/// -raw: a string as it is (no quotes, no newline), a number or a bool as its text; Terraform's rule.
bool PrintRaw(const std::string& name, const Value& value, Io& io) {
  if (value.is_string()) io.out << value.as_string();
  else if (value.is_bool()) io.out << (value.as_bool() ? "true" : "false");
  else if (value.is_number()) io.out << json::serialize(value.ToJson());
  else {
    io.err << fmt::format("Error: output \"{}\" is a {}; -raw prints only a string, a number or a bool: use -json\n",
                          name, TypeName(value));
    return false;
  }
  return true;
}

/// A sensitive output, or one holding a secret anywhere inside, prints as a whole as (sensitive).
std::string Rendered(const Value& value, bool reveal) {
  return reveal ? value.RenderRevealed() : value.ContainsSensitive() ? "(sensitive)" : value.Render();
}

void PrintAll(const Value::Map& outputs, bool as_json, bool reveal, Io& io) {
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
  for (const auto& [name, value] : outputs) io.out << fmt::format("{} = {}\n", name, Rendered(value, reveal));
}

}  // namespace

int RunOutput(const Args& args, Io& io) {
  CLI::App app("Show the outputs recorded in the state", "stashform output");
  CommonOptions options;
  options.lock = false;  // reading only; a save is an atomic rename
  std::string name;
  bool as_json = false, raw = false, reveal = false;
  app.add_option("name", name, "One output; its value alone is printed");
  app.add_option("--chdir", options.chdir);
  app.add_option("--state", options.state_path);
  app.add_flag("--json", as_json);
  app.add_flag("--raw", raw);
  app.add_flag("--show-sensitive", reveal);
  app.add_flag("--no-color", options.no_color);
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  if (raw && (as_json || name.empty())) {
    io.err << "Error: -raw prints one output as it is: name it (stashform output -raw NAME), and leave out -json\n";
    return 1;
  }

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
  if (raw) return PrintRaw(name, value, io) ? 0 : 1;
  io.out << (as_json ? json::serialize(value.ToJson()) : Rendered(value, reveal)) << "\n";
  return 0;
}

}  // namespace stashform::cli
