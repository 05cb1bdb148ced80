// Evaluation of the keyword blocks: variable, output, moved, removed, import.

#include <lua.hpp>

#include <algorithm>

#include "dsl/body_check.h"
#include "dsl/evaluation.h"
#include "dsl/sandbox_libraries.h"
#include "base/did_you_mean.h"

namespace stashform::dsl {

namespace {

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

bool IsIdentifier(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

bool BoolOr(const Value::Map& values, const std::string& key, bool fallback) {
  auto it = values.find(key);
  return it != values.end() && it->second.is_bool() ? it->second.as_bool() : fallback;
}

std::string StringOr(const Value::Map& values, const std::string& key, const std::string& fallback) {
  auto it = values.find(key);
  return it != values.end() && it->second.is_string() ? it->second.as_string() : fallback;
}

}  // namespace

bool Evaluation::ReadKeywordBody(const std::string& subject, SourcePos pos, int index,
                                 const std::vector<std::string>& keys, KeywordBody* body, std::string& error) {
  lua_State* L = sandbox_.state();
  if (lua_type(L, index) != LUA_TTABLE) {
    error = subject + ": expected a body table { ... }, got " + luaL_typename(L, index);
    return false;
  }
  if (PushViewTarget(L, index)) {  // a body taken from a module's table
    const bool ok = ReadKeywordBody(subject, pos, lua_gettop(L), keys, body, error);
    lua_pop(L, 1);
    return ok;
  }
  ValueReader reader(L);
  std::map<std::string, std::pair<std::string, std::string>> problems;  // sorted: stable output
  lua_pushnil(L);
  while (lua_next(L, index)) {
    const std::string key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
    Value value;
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      problems[key] = {key.empty() ? "body keys must be names" : "unknown key " + Quoted(key), DidYouMean(key, keys)};
    else if (const HandleData* handle = ToHandle(L, -1))
      body->handles[key] = *handle;
    else if (reader.Read(-1, key, &value))
      body->values[key] = std::move(value);
    else
      problems[key] = {reader.error(), ""};
    lua_pop(L, 1);
  }
  for (const auto& [key, problem] : problems) diagnostics_.Error(pos, subject, problem.first, problem.second);
  return problems.empty();
}

void Evaluation::DeclareVariable(const std::string& name, SourcePos pos, int index, std::string& error) {
  const std::string subject = "variable " + Quoted(name);
  scratch_value_ = Value::UnknownValue();
  KeywordBody body;
  ReadKeywordBody(subject, pos, index, {"type", "default", "sensitive", "description"}, &body, error);
  if (!error.empty()) return;
  std::string problem;
  VariableBlock variable{name, StringOr(body.values, "type", "any"), StringOr(body.values, "description", ""),
                         BoolOr(body.values, "sensitive", false), Value::UnknownValue(), "", pos};
  if (!IsIdentifier(name)) diagnostics_.Error(pos, subject, "a variable name must be a Lua identifier");
  if (!IsVariableType(variable.type)) {
    diagnostics_.Error(pos, subject, "unknown type " + Quoted(variable.type),
                       "expected one of \"string\", \"number\", \"bool\", \"list\", \"map\", \"any\"");
    variable.type = "any";  // checked once; later uses would only repeat it
  }
  auto found = std::find_if(config_.variables.begin(), config_.variables.end(),
                            [&](const VariableBlock& v) { return v.name == name; });
  if (found != config_.variables.end()) {
    diagnostics_.Error(pos, subject, "duplicate variable, first declared at " + found->pos.ToString());
    return;
  }
  auto fallback = body.values.find("default");
  const bool has_default = fallback != body.values.end();
  const bool bad_default = has_default && !VariableValueHasType(variable.type, fallback->second, &problem);
  if (bad_default) diagnostics_.Error(pos, subject, "default: " + problem);
  auto value = VariableValue(variable, has_default && !bad_default ? &fallback->second : nullptr, &problem);
  if (!value && !bad_default)
    diagnostics_.Error(pos, subject, problem,
                       problem == "has no value" ? "set it with -var " + name + "=..., a -var-file or STASHFORM_VAR_" + name : "");
  if (value) {
    variable.value = std::move(*value);
    variable.source = source_;
  }
  if (variable.sensitive) variable.value.MarkSensitive();
  scratch_value_ = variable.value;
  config_.variables.push_back(std::move(variable));
}

std::optional<Value> Evaluation::VariableValue(const VariableBlock& variable, const Value* fallback,
                                               std::string* error) {
  const std::string& name = variable.name;
  VariableInput input;
  if (auto it = inputs_.find(name); it != inputs_.end()) {
    input = it->second;
    input_used_[name] = true;
  } else if (auto text = options_.getenv("STASHFORM_VAR_" + name)) {
    input = {std::nullopt, *text, "STASHFORM_VAR_" + name};
  } else if (fallback) {
    input = {*fallback, "", "default"};
  } else {
    *error = "has no value";
    return std::nullopt;
  }
  Value value;
  std::string problem;
  if (!ConvertVariableInput(variable.type, input, &value, &problem)) {
    *error = input.source + ": " + problem;
    return std::nullopt;
  }
  source_ = input.source;
  return value;
}

void Evaluation::ReadVariable(const std::string& name, SourcePos pos) {
  for (const auto& variable : config_.variables) {
    if (variable.name == name) {
      scratch_value_ = variable.value;
      return;
    }
  }
  std::vector<std::string> names;
  for (const auto& variable : config_.variables) names.push_back(variable.name);
  std::string hint = DidYouMean(name, names);
  if (hint.empty()) hint = "declare it before use: variable " + Quoted(name) + " { type = \"string\" }";
  diagnostics_.Error(std::move(pos), "var." + name, "unknown variable " + Quoted(name), hint);
  scratch_value_ = Value::UnknownValue();
}

void Evaluation::DeclareOutput(const std::string& name, SourcePos pos, int index, std::string& error) {
  const std::string subject = "output " + Quoted(name);
  KeywordBody body;
  ReadKeywordBody(subject, pos, index, {"value", "sensitive", "description"}, &body, error);
  if (!error.empty()) return;
  OutputBlock output{name, body.values.count("value") ? body.values["value"] : Value(),
                     BoolOr(body.values, "sensitive", false), StringOr(body.values, "description", ""), pos};
  if (body.handles.count("value"))
    diagnostics_.Error(pos, subject, "value: a handle cannot be an output value");
  else if (!body.values.count("value"))
    diagnostics_.Error(pos, subject, "missing required key \"value\"");
  if (output.value.ContainsSensitive() && !output.sensitive)
    diagnostics_.Error(pos, subject, "value is sensitive", "set sensitive = true to show it masked");
  for (const auto& existing : config_.outputs)
    if (existing.name == name)
      diagnostics_.Error(pos, subject, "duplicate output, first declared at " + existing.pos.ToString());
  if (output.sensitive) output.value.MarkSensitive();
  config_.outputs.push_back(std::move(output));
}

std::optional<ResourceAddress> Evaluation::AddressIn(const std::string& subject, SourcePos pos,
                                                     const KeywordBody& body, const std::string& key) {
  if (auto handle = body.handles.find(key); handle != body.handles.end()) {
    if (!handle->second.is_server) return config_.resources[handle->second.index].address;
    diagnostics_.Error(pos, subject, key + ": expected a resource, got " + Describe(handle->second));
    return std::nullopt;
  }
  auto value = body.values.find(key);
  if (value == body.values.end()) {
    diagnostics_.Error(pos, subject, "missing required key " + Quoted(key));
    return std::nullopt;
  }
  std::optional<ResourceAddress> address;
  if (value->second.is_string()) address = ResourceAddress::Parse(value->second.as_string());
  // Inside a module an address is the module's own, as its blocks are: a recipe can move what it
  // declared before without knowing the name it was imported under.
  if (auto module = module_of_file_.find(pos.file); address && address->module.empty() && module != module_of_file_.end())
    address->module = module->second;
  if (!address)
    diagnostics_.Error(pos, subject, key + ": expected a resource handle or an address such as bitbucket.webhook[\"api\"], got " +
                                         (value->second.is_string() ? Quoted(value->second.as_string()) : LuaTypeName(value->second)));
  return address;
}

void Evaluation::DeclareMoved(SourcePos pos, int index, std::string& error) {
  KeywordBody body;
  ReadKeywordBody("moved", pos, index, {"from", "to"}, &body, error);
  auto from = AddressIn("moved", pos, body, "from");
  auto to = AddressIn("moved", pos, body, "to");
  if (from && to) config_.moved.push_back({*from, *to, pos});
}

void Evaluation::DeclareRemoved(SourcePos pos, int index, std::string& error) {
  KeywordBody body;
  ReadKeywordBody("removed", pos, index, {"from", "destroy"}, &body, error);
  auto destroy = body.values.find("destroy");
  if (destroy != body.values.end() && !destroy->second.is_bool())
    diagnostics_.Error(pos, "removed", "destroy: expected boolean, got " + LuaTypeName(destroy->second));
  if (auto from = AddressIn("removed", pos, body, "from"))
    config_.removed.push_back({*from, BoolOr(body.values, "destroy", true), pos});
}

void Evaluation::DeclareImport(SourcePos pos, int index, std::string& error) {
  KeywordBody body;
  ReadKeywordBody("import", pos, index, {"to", "id"}, &body, error);
  auto id = body.values.find("id");
  const bool id_ok = id != body.values.end() && id->second.is_string() && !id->second.as_string().empty();
  if (!id_ok) diagnostics_.Error(pos, "import", "id: expected the remote object's id as a non-empty string");
  auto to = AddressIn("import", pos, body, "to");
  if (to && id_ok) config_.imports.push_back({*to, id->second.as_string(), pos});
}

void Evaluation::DeclareUnmanaged(SourcePos pos, int index, std::string& error) {
  static const std::vector<std::string> kKeys = {"type", "repository", "name", "url"};
  KeywordBody body;
  ReadKeywordBody("unmanaged", pos, index, {"ignore"}, &body, error);
  auto ignore = body.values.find("ignore");
  if (ignore == body.values.end()) return;
  if (!ignore->second.is_list()) {
    diagnostics_.Error(pos, "unmanaged", "ignore: expected a list of rules such as { repository = \"INFRA/*\", name = \"jenkins\" }, got " +
                                             LuaTypeName(ignore->second));
    return;
  }
  for (size_t i = 0; i < ignore->second.as_list().size(); ++i) {
    const Value& rule = ignore->second.as_list()[i];
    const std::string where = "ignore[" + std::to_string(i + 1) + "]";
    if (!rule.is_map() || rule.as_map().empty()) {
      diagnostics_.Error(pos, "unmanaged", where + ": expected a table of patterns (type, repository, name, url)");
      continue;
    }
    UnmanagedIgnore parsed{{}, pos};
    for (const auto& [key, pattern] : rule.as_map()) {
      if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end())
        diagnostics_.Error(pos, "unmanaged", where + ": unknown key " + Quoted(key), DidYouMean(key, kKeys));
      else if (!pattern.is_string())
        diagnostics_.Error(pos, "unmanaged", where + "." + key + ": expected a string pattern, got " + LuaTypeName(pattern));
      else
        parsed.patterns[key] = pattern.as_string();
    }
    config_.unmanaged_ignore.push_back(std::move(parsed));
  }
}

void Evaluation::CheckRefactoringBlocks() {
  auto declared = [this](const ResourceAddress& address) { return config_.FindResource(address) != nullptr; };
  for (const auto& moved : config_.moved) {
    if (!declared(moved.to))
      diagnostics_.Error(moved.pos, "moved", "to: " + moved.to.ToString() + " is not declared");
    if (declared(moved.from))
      diagnostics_.Error(moved.pos, "moved", "from: " + moved.from.ToString() + " is still declared");
  }
  for (const auto& removed : config_.removed)
    if (declared(removed.from))
      diagnostics_.Error(removed.pos, "removed", "from: " + removed.from.ToString() + " is still declared",
                         "delete its declaration");
  for (const auto& import : config_.imports)
    if (!declared(import.to))
      diagnostics_.Error(import.pos, "import", "to: " + import.to.ToString() + " is not declared");
}

void Evaluation::CheckUnusedInputs() {
  std::vector<std::string> names;
  for (const auto& variable : config_.variables) names.push_back(variable.name);
  for (const auto& [name, input] : inputs_) {
    if (input_used_.count(name)) continue;
    const std::string subject = input.source == "-var" ? "-var " + name : input.source;
    const std::string message = "no variable " + Quoted(name) + " is declared";
    // A -var names one variable on purpose; a shared file may hold values for other configs.
    if (input.source == "-var")
      diagnostics_.Error({}, subject, message, DidYouMean(name, names));
    else
      diagnostics_.Warning({}, subject, message + " (value ignored)", DidYouMean(name, names));
  }
}

}  // namespace stashform::dsl

namespace stashform::dsl {

std::optional<std::string> Evaluation::BindDataServer(const Pending& pending, const std::optional<HandleData>& server) {
  const std::string& server_type = pending.schema->server_type;
  if (server_type.empty()) return "";
  if (server) return config_.servers[server->index].name;
  // A data source is read now, so only servers declared above it can serve it.
  std::vector<std::string> names;
  for (const auto& block : config_.servers)
    if (block.type == server_type) names.push_back(block.name);
  if (names.size() == 1) return names[0];
  Report(pending, names.empty() ? "no " + server_type + " is declared above this line"
                                : "server is not set and " + std::to_string(names.size()) + " " + server_type +
                                      " blocks are declared",
         names.empty() ? "declare the server first" : "choose one with server = <handle>");
  return std::nullopt;
}

void Evaluation::ReadDataSource(const ResourceSchema& schema, SourcePos pos, int index, std::string& error) {
  scratch_value_ = Value::UnknownValue();
  lua_State* L = sandbox_.state();
  if (lua_type(L, index) != LUA_TTABLE) {
    error = schema.type + ": expected arguments { ... }, got " + luaL_typename(L, index);
    return;
  }
  Pending pending{&schema, "", std::move(pos), {}, "", true, true};
  Body body;
  ReadBody(pending, index, &body);
  const size_t before = diagnostics_.size();
  for (const auto& problem : CheckAttributes(schema, body.attributes)) Report(pending, problem.message, problem.hint);
  std::optional<std::string> server = BindDataServer(pending, body.server);
  const bool known = std::none_of(body.attributes.begin(), body.attributes.end(), [](const auto& kv) {
    return kv.second.ContainsUnknown() || kv.second.ContainsReference();
  });
  // Unknown arguments or no reader (validate): the result is unknown, not an error.
  if (diagnostics_.size() != before || !server || !known || !options_.read_data) return;
  DataRequest request{schema.type, *server, std::move(body.attributes), pending.pos, {}};
  if (const ServerBlock* block = config_.FindServer(schema.server_type, *server)) request.server_block = *block;
  sandbox_.PauseClock();  // the network's time is not the script's
  Result<Value> result = options_.read_data(request);
  sandbox_.ResumeClock();
  if (result.ok())
    scratch_value_ = std::move(result.value());
  else
    Report(pending, result.message());
}

}  // namespace stashform::dsl
