// `stashform console [-e EXPR]... [DIR]`: answers expressions about the config and the state, one
// a line from standard input (or each -e), as `terraform console` does for references. It
// evaluates the config offline (no data source is read, no server is asked), reads the state
// without locking it and writes nothing: it is safe to run beside an apply.
//
// An expression is a reference: ADDRESS (the recorded object: its attributes and id, else the
// config's), ADDRESS.ATTRIBUTE, ADDRESS.id, output.NAME, var.NAME. Secrets print as (sensitive).

#include <fmt/format.h>

#include <istream>
#include <ostream>

#include "base/did_you_mean.h"
#include "reconciler/cli/session.h"

namespace stashform::cli {

namespace {

/// "bitbucket.webhook[\"INFRA/api\"].url" → the address text and "url"; no attribute without a
/// dot after the closing bracket.
std::pair<std::string, std::string> SplitAttribute(const std::string& expression) {
  const size_t bracket = expression.rfind(']');
  const size_t dot = expression.find('.', bracket == std::string::npos ? 0 : bracket);
  if (bracket == std::string::npos || dot == std::string::npos) return {expression, ""};
  return {expression.substr(0, dot), expression.substr(dot + 1)};
}

/// The console's view of the config and the state.
class Console {
 public:
  Console(const dsl::Config& config, const state::State& state) : config_(config), state_(state) {}

  /// The value's rendering, or an error message (starting "Error: ") with a way out.
  std::string Answer(const std::string& expression) const {
    if (expression.rfind("output.", 0) == 0) return Named("output", expression.substr(7), state_.outputs);
    if (expression.rfind("var.", 0) == 0) return Named("variable", expression.substr(4), Variables());
    auto [address_text, attribute] = SplitAttribute(expression);
    auto address = ResourceAddress::Parse(address_text);
    if (!address)
      return fmt::format("Error: \"{}\" is not an expression the console answers; use ADDRESS, ADDRESS.ATTRIBUTE, "
                         "output.NAME or var.NAME, e.g. bitbucket.webhook[\"INFRA/api\"].url",
                         expression);
    auto object = Object(*address);
    if (!object) {
      // An address holds quotes: the suggestion is shown bare, as the user would type it.
      auto closest = ClosestMatch(address->ToString(), Addresses());
      return fmt::format("Error: {} is neither in the config nor in the state{}", address->ToString(),
                         closest ? " (did you mean " + *closest + "?)" : "");
    }
    if (attribute.empty()) return Value(*object).Render();
    auto found = object->find(attribute);
    if (found == object->end()) {
      std::vector<std::string> names;
      for (const auto& [name, value] : *object) names.push_back(name);
      std::string hint = DidYouMean(attribute, names);
      return fmt::format("Error: {} has no attribute \"{}\"{}", address->ToString(), attribute,
                         hint.empty() ? "" : " (" + hint + ")");
    }
    return found->second.Render();
  }

 private:
  /// The recorded object (its attributes and id), else the block as the config writes it.
  std::optional<Value::Map> Object(const ResourceAddress& address) const {
    if (const auto* recorded = state_.Find(address)) {
      Value::Map attributes = recorded->attributes;
      attributes["id"] = recorded->id;
      return attributes;
    }
    if (const auto* block = config_.FindResource(address)) return block->attributes;
    return std::nullopt;
  }

  Value::Map Variables() const {
    Value::Map out;
    for (const auto& variable : config_.variables) out[variable.name] = variable.value;
    return out;
  }

  std::vector<std::string> Addresses() const {
    std::vector<std::string> out;
    for (const auto& block : config_.resources) out.push_back(block.address.ToString());
    for (const auto& resource : state_.resources) out.push_back(resource.address.ToString());
    return out;
  }

  static std::string Named(const std::string& what, const std::string& name, const Value::Map& values) {
    auto found = values.find(name);
    if (found != values.end()) return found->second.Render();
    std::vector<std::string> names;
    for (const auto& [known, value] : values) names.push_back(known);
    std::string hint = DidYouMean(name, names);
    return fmt::format("Error: no {} \"{}\"{}", what, name, hint.empty() ? "" : " (" + hint + ")");
  }

  const dsl::Config& config_;
  const state::State& state_;
};

}  // namespace

int RunConsole(const Args& args, Io& io) {
  CLI::App app("Evaluate expressions against the config and state, read-only and offline", "stashform console");
  CommonOptions options;
  options.lock = false;  // read-only: never waits for nor blocks an apply
  std::vector<std::string> expressions;
  app.add_option("dir", options.dir, "Configuration folder (default: the current folder)");
  app.add_option("--chdir", options.chdir);
  app.add_option("--state", options.state_path);
  app.add_option("--state-url", options.state_url);
  app.add_option("-e", expressions)->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--var", options.vars)->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--var-file", options.var_files)
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--env-allow", options.env_allow)
      ->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  AddLuaTimeLimitOption(app, options);
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;

  // Offline: data sources stay unknown and no server block is configured.
  Session session;
  if (!session.Evaluate(options, /*offline=*/true, io)) return 1;
  if (!session.OpenState(options, "console", io)) return 1;
  Console console(session.config(), session.state());
  bool failed = false;
  auto answer = [&](const std::string& expression) {
    std::string answered = console.Answer(expression);
    failed |= answered.rfind("Error: ", 0) == 0;
    (answered.rfind("Error: ", 0) == 0 ? io.err : io.out) << answered << "\n";
  };
  for (const auto& expression : expressions) answer(expression);
  if (!expressions.empty()) return failed ? 1 : 0;
  for (std::string line; std::getline(io.in, line);) {
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    if (line == "exit") break;
    answer(line);
  }
  return failed ? 1 : 0;
}

}  // namespace stashform::cli
