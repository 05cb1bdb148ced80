#include "dsl/variable_inputs.h"

#include <lua.hpp>

#include <boost/json.hpp>
#include <filesystem>

#include "dsl/lua_values.h"
#include "dsl/sandbox.h"

namespace stashform::dsl {

namespace {

std::optional<Value::Map> ParseJsonFile(const std::string& path, const std::string& text, Diagnostics& diagnostics) {
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(text, ec);
  if (ec || !json.is_object()) {
    diagnostics.Error({path, 0}, "-var-file", ec ? "invalid JSON: " + ec.message() : "expected a JSON object");
    return std::nullopt;
  }
  return Value::FromJson(json).as_map();
}

// A Lua var file runs in its own sandbox with nothing but its own assignments in scope.
std::optional<Value::Map> ParseLuaFile(const std::string& path, const std::string& text, const EvalOptions& options,
                                       Diagnostics& diagnostics) {
  Sandbox sandbox({options.memory_limit_bytes, options.instruction_limit, options.time_limit});
  if (!sandbox.ok() || !sandbox.RunInTable(path, text, diagnostics)) return std::nullopt;
  ValueReader reader(sandbox.state());
  Value values;
  if (!reader.Read(-1, "", &values) || !(values.is_map() || values.is_list())) {
    diagnostics.Error({path, 0}, "-var-file", reader.error().empty() ? "expected name = value lines" : reader.error());
    return std::nullopt;
  }
  return values.is_map() ? values.as_map() : Value::Map{};
}

std::optional<Value::Map> ReadVarFile(const std::string& path, const EvalOptions& options, Diagnostics& diagnostics) {
  std::optional<std::string> read = ReadConfigFile(options, path);
  if (!read) {
    diagnostics.Error({}, "-var-file " + path, "cannot read the file");
    return std::nullopt;
  }
  const std::string& text = *read;
  const std::string shown = std::filesystem::path(path).filename().string();
  if (std::filesystem::path(path).extension() == ".json") return ParseJsonFile(shown, text, diagnostics);
  return ParseLuaFile(shown, text, options, diagnostics);
}

bool ParseNumber(const std::string& text, Value* out) {
  try {
    size_t used = 0;
    if (text.find_first_of(".eE") == std::string::npos) {
      int64_t integer = std::stoll(text, &used);
      *out = Value(integer);
    } else {
      *out = Value(std::stod(text, &used));
    }
    return used == text.size();
  } catch (const std::exception&) {
    return false;
  }
}

std::string KindName(const Value& value) { return LuaTypeName(value); }

}  // namespace

std::map<std::string, VariableInput> CollectVariableInputs(const EvalOptions& options, Diagnostics& diagnostics) {
  std::map<std::string, VariableInput> inputs;
  for (const auto& path : options.var_files) {
    auto values = ReadVarFile(path, options, diagnostics);
    if (!values) continue;
    const std::string source = "-var-file " + std::filesystem::path(path).filename().string();
    for (auto& [name, value] : *values) inputs[name] = {std::move(value), "", source};
  }
  for (const auto& [name, text] : options.vars) inputs[name] = {std::nullopt, text, "-var"};
  return inputs;
}

bool IsVariableType(const std::string& type) {
  return type == "string" || type == "number" || type == "bool" || type == "list" || type == "map" || type == "any";
}

bool VariableValueHasType(const std::string& type, const Value& value, std::string* error) {
  bool ok = type == "any" || value.is_unknown();
  if (type == "string") ok = value.is_string();
  if (type == "number") ok = value.is_number();
  if (type == "bool") ok = value.is_bool();
  if (type == "list") ok = value.is_list();
  if (type == "map") ok = value.is_map() || (value.is_list() && value.as_list().empty());
  if (!ok) *error = "expected " + type + ", got " + KindName(value);
  return ok;
}

bool ConvertVariableInput(const std::string& type, const VariableInput& input, Value* out, std::string* error) {
  if (input.data) {
    *out = *input.data;
    return VariableValueHasType(type, *out, error);
  }
  const std::string& text = input.text;
  if (type == "string" || type == "any") {
    *out = Value(text);
    return true;
  }
  if (type == "number" && ParseNumber(text, out)) return true;
  if (type == "bool" && (text == "true" || text == "false")) {
    *out = Value(text == "true");
    return true;
  }
  if (type == "list" || type == "map") {
    boost::system::error_code ec;
    boost::json::value json = boost::json::parse(text, ec);
    if (!ec) {
      *out = Value::FromJson(json);
      if (VariableValueHasType(type, *out, error)) return true;
    }
    *error = "expected a JSON " + std::string(type == "list" ? "array" : "object") + ", got \"" + text + "\"";
    return false;
  }
  *error = "expected " + type + ", got \"" + text + "\"";
  return false;
}

}  // namespace stashform::dsl
