#include "dsl/evaluation.h"

#include <lua.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string_view>

#include "dsl/body_check.h"
#include "dsl/duplicate_keys.h"
#include "dsl/sandbox_libraries.h"
#include "base/did_you_mean.h"

namespace stashform::dsl {

namespace {

// What a declaration costs in C++ memory, roughly; counted against the memory limit.
size_t EstimateBytes(const Value& value) {
  size_t bytes = sizeof(Value);
  if (value.is_string()) bytes += value.as_string().size();
  if (value.is_list())
    for (const auto& item : value.as_list()) bytes += EstimateBytes(item);
  if (value.is_map())
    for (const auto& [key, item] : value.as_map()) bytes += key.size() + 48 + EstimateBytes(item);
  return bytes;
}

// Glob match where `*` is any run of characters; enough for NAME_* style allow lists.
bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t star = std::string_view::npos, resume = 0, p = 0, t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p, ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// The addresses that attribute values refer to, each once, in order of first appearance.
std::vector<std::string> ReferencedAddresses(const Value::Map& attributes) {
  std::vector<Value::Reference> references;
  for (const auto& [key, value] : attributes) value.CollectReferences(references);
  std::vector<std::string> addresses;
  for (const auto& reference : references)
    if (std::find(addresses.begin(), addresses.end(), reference.address) == addresses.end())
      addresses.push_back(reference.address);
  return addresses;
}

std::optional<std::string> ProcessGetenv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

}  // namespace

std::string DeclarationSubject(const std::string& type, const std::string& name) {
  return type + " \"" + name + "\"";
}

Evaluation::Evaluation(Sandbox& sandbox, const std::vector<const ResourceSchema*>& schemas,
                       const EvalOptions& options, std::string folder)
    : sandbox_(sandbox), schemas_(schemas), options_(options), folder_(std::move(folder)) {
  if (!options_.getenv) options_.getenv = ProcessGetenv;
  inputs_ = CollectVariableInputs(options_, diagnostics_);
  auto add = [this](const ResourceSchema* schema, bool is_data) {
    const size_t dot = schema->type.find('.');
    if (dot == std::string::npos)
      type_names_.push_back({schema->type, "", schema, is_data});  // reported by the evaluator, never declarable
    else
      type_names_.push_back({schema->type.substr(0, dot), schema->type.substr(dot + 1), schema, is_data});
  };
  // A data source schema passed among the resource schemas is still a data source.
  for (const auto* schema : schemas_) add(schema, schema->is_data_source);
  for (const auto* schema : options_.data_source_schemas) add(schema, true);
}

size_t Evaluation::BeginDeclaration(const ResourceSchema& schema, const std::string& name, SourcePos pos,
                                    std::string& error, SourcePos call_site) {
  if (!sandbox_.Charge(sizeof(Pending) + name.size())) {
    error = sandbox_.MemoryLimitMessage();
    return 0;
  }
  auto module = module_of_file_.find(pos.file);
  if (call_site.file == pos.file) call_site = {};
  pending_.push_back({&schema, name, pos, call_site, module == module_of_file_.end() ? "" : module->second, false});
  return pending_.size() - 1;
}

HandleData Evaluation::CompleteDeclaration(size_t index, int body_index, std::string& error) {
  Pending& pending = pending_.at(index);
  const std::string subject = DeclarationSubject(pending.schema->type, pending.name);
  if (pending.complete) {
    error = subject + ": the body was already given";
    return {};
  }
  pending.complete = true;
  lua_State* L = sandbox_.state();
  if (lua_type(L, body_index) != LUA_TTABLE) {
    error = subject + ": expected a body table { ... }, got " + luaL_typename(L, body_index);
    return {};
  }
  Body body;
  ReadBody(pending, body_index, &body);
  size_t bytes = sizeof(ResourceBlock) + pending.name.size();
  for (const auto& [key, value] : body.attributes) bytes += key.size() + EstimateBytes(value);
  if (!sandbox_.Charge(bytes)) {
    error = sandbox_.MemoryLimitMessage();
    return {};
  }
  return pending.schema->is_server ? RecordServer(pending, body) : RecordResource(pending, body);
}

void Evaluation::Report(const Pending& pending, const std::string& message, const std::string& hint) {
  const std::string subject = pending.is_data ? pending.schema->type : DeclarationSubject(pending.schema->type, pending.name);
  // A block a recipe declared: the user's own line says where the value came from.
  const bool from_recipe = hint.empty() && pending.call_site.known() && pending.call_site.file != pending.pos.file;
  diagnostics_.Error(pending.pos, subject, message, from_recipe ? "called from " + pending.call_site.ToString() : hint);
}

bool Evaluation::ReadBody(const Pending& pending, int index, Body* body) {
  lua_State* L = sandbox_.state();
  if (PushViewTarget(L, index)) {  // a body taken from a module's table
    const bool ok = ReadBody(pending, lua_gettop(L), body);
    lua_pop(L, 1);
    return ok;
  }
  ValueReader reader(L, [this](const HandleData& handle, Value*, std::string* error) {
    *error = "a handle (" + Describe(handle) + ") cannot be used as a value; refer to one of its attributes (handle.attribute)";
    return false;
  });
  // Lua iterates in hash order; sorting by key keeps the diagnostics stable between runs.
  ReadProblems problems;
  lua_pushnil(L);
  while (lua_next(L, index)) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      problems.emplace("", "body keys must be attribute names, not list items or other keys");
    } else {
      std::string key = lua_tostring(L, -2);
      if (!ReadReservedKey(pending, key, lua_gettop(L), body, problems)) {
        Value value;
        if (!reader.Read(-1, key, &value)) {
          problems.emplace(key, reader.error());
          value = Value::UnknownValue();  // present but unreadable: not "missing" as well
        }
        body->attributes.emplace(std::move(key), std::move(value));
      }
    }
    lua_pop(L, 1);
  }
  for (const auto& [key, message] : problems) Report(pending, message);
  return problems.empty();
}

bool Evaluation::ReadReservedKey(const Pending& pending, const std::string& key, int index, Body* body,
                                 ReadProblems& problems) {
  lua_State* L = sandbox_.state();
  const ResourceSchema& schema = *pending.schema;
  if (key == "server" && !schema.server_type.empty()) {
    const HandleData* handle = ToHandle(L, index);
    if (handle && handle->is_server && config_.servers[handle->index].type == schema.server_type)
      body->server = *handle;
    else
      problems.emplace(key, "server: expected a " + schema.server_type + " handle, got " +
                                (handle ? Describe(*handle) : std::string(luaL_typename(L, index))));
    return true;
  }
  if (schema.is_server || pending.is_data) return false;
  if (key == "depends_on") {
    const bool is_list = lua_type(L, index) == LUA_TTABLE;
    const bool is_view = PushViewTarget(L, index);
    const int list = is_view ? lua_gettop(L) : index;
    const lua_Integer length = is_list ? static_cast<lua_Integer>(lua_rawlen(L, list)) : 0;
    if (!is_list) problems.emplace(key, std::string("depends_on: expected a list of handles, got ") + luaL_typename(L, index));
    for (lua_Integer i = 1; i <= length; ++i) {
      lua_rawgeti(L, list, i);
      const HandleData* handle = ToHandle(L, -1);
      if (handle && !handle->is_server)
        body->depends_on.push_back(*handle);
      else
        problems.emplace(key, "depends_on[" + std::to_string(i) + "]: expected a resource handle, got " +
                                  (handle ? Describe(*handle) : std::string(luaL_typename(L, -1))));
      lua_pop(L, 1);
    }
    if (is_view) lua_pop(L, 1);
    return true;
  }
  if (key == "on_conflict") {
    const char* text = lua_type(L, index) == LUA_TSTRING ? lua_tostring(L, index) : nullptr;
    const std::string value = text ? text : "";
    if (value == "adopt" || value == "replace" || value == "fail")
      body->on_conflict = value;
    else
      problems.emplace(key, "on_conflict: expected \"adopt\", \"replace\" or \"fail\", got " +
                                (text ? "\"" + value + "\"" : std::string(luaL_typename(L, index))));
    return true;
  }
  if (key == "lifecycle") {
    ValueReader reader(L);
    if (!reader.Read(index, "lifecycle", &body->lifecycle)) problems.emplace(key, reader.error());
    return true;
  }
  return false;
}

HandleData Evaluation::RecordServer(const Pending& pending, Body& body) {
  for (const auto& problem : CheckAttributes(*pending.schema, body.attributes))
    Report(pending, problem.message, problem.hint);
  const std::string subject = DeclarationSubject(pending.schema->type, pending.name);
  if (!CheckUnique(pending, subject, subject)) {
    const ServerBlock* first = config_.FindServer(pending.schema->type, pending.name);
    return {true, static_cast<uint32_t>(first - config_.servers.data())};
  }
  // Unknown values (only `validate` makes them, from unset variables) stay: references such as
  // bb.url must resolve to "unknown", not to nothing.
  config_.servers.push_back({pending.schema->type, pending.name, std::move(body.attributes), pending.pos});
  return {true, static_cast<uint32_t>(config_.servers.size() - 1)};
}

HandleData Evaluation::RecordResource(const Pending& pending, Body& body) {
  ResourceBlock block;
  block.address = {pending.module, pending.schema->type, pending.name};
  block.pos = pending.pos;
  block.call_site = pending.call_site;
  for (const auto& problem : CheckAttributes(*pending.schema, body.attributes))
    Report(pending, problem.message, problem.hint);
  for (const auto& problem : CheckReferenceTypes(*pending.schema, body.attributes, ReferencedAttribute()))
    Report(pending, problem.message, problem.hint);
  for (const auto& problem : ReadLifecycle(*pending.schema, body.lifecycle, &block.lifecycle))
    Report(pending, problem.message, problem.hint);
  for (const auto& handle : body.depends_on) block.depends_on.push_back(Describe(handle));
  block.on_conflict = body.on_conflict;
  block.references = ReferencedAddresses(body.attributes);
  const std::string address = block.address.ToString();
  if (!CheckUnique(pending, address, address)) {
    const ResourceBlock* first = config_.FindResource(block.address);
    return {false, static_cast<uint32_t>(first - config_.resources.data())};
  }
  for (auto it = body.attributes.begin(); it != body.attributes.end();)
    it = it->second.is_unknown() ? body.attributes.erase(it) : std::next(it);
  for (const auto& [key, value] : body.attributes) block.attribute_pos[key] = pending.pos;
  block.attributes = std::move(body.attributes);
  BindServer(pending, body.server, block);
  config_.resources.push_back(std::move(block));
  return {false, static_cast<uint32_t>(config_.resources.size() - 1)};
}

void Evaluation::BindServer(const Pending& pending, const std::optional<HandleData>& server, ResourceBlock& block) {
  if (pending.schema->server_type.empty()) return;
  if (server)
    block.server = config_.servers[server->index].name;
  else
    unbound_resources_.push_back(config_.resources.size());  // the server may come later
}

bool Evaluation::CheckUnique(const Pending& pending, const std::string& key, const std::string& shown) {
  auto [it, inserted] = declared_at_.emplace(key, pending.pos);
  if (!inserted) Report(pending, "duplicate address " + shown + ", first declared at " + it->second.ToString());
  return inserted;
}

const ResourceSchema* Evaluation::SchemaOf(const std::string& type) const {
  for (const auto* schema : schemas_)
    if (schema->type == type) return schema;
  return nullptr;
}

ReferenceResolver Evaluation::ReferencedAttribute() const {
  return [this](const Value::Reference& reference) -> const AttributeSchema* {
    auto address = ResourceAddress::Parse(reference.address);
    const ResourceSchema* schema = address ? SchemaOf(address->type) : nullptr;
    return schema ? schema->Find(reference.attribute) : nullptr;
  };
}

Evaluation::Attribute Evaluation::ResolveAttribute(const HandleData& handle, const std::string& name, SourcePos pos) {
  const std::string type = handle.is_server ? config_.servers[handle.index].type : config_.resources[handle.index].address.type;
  const ResourceSchema* schema = SchemaOf(type);
  const AttributeSchema* attr = schema ? schema->Find(name) : nullptr;
  if (!attr) {
    diagnostics_.Error(std::move(pos), Describe(handle), "unknown attribute \"" + name + "\"",
                       schema ? DidYouMean(name, schema->AttributeNames()) : "");
    return Attribute::kUnknown;
  }
  if (handle.is_server) {
    // Servers live only in the config, so their attributes are known now.
    const Value::Map& attributes = config_.servers[handle.index].attributes;
    auto it = attributes.find(name);
    scratch_value_ = it == attributes.end() ? Value() : it->second;
    return Attribute::kValue;
  }
  scratch_ = config_.resources[handle.index].address.ToString();
  scratch_sensitive_ = attr->sensitive || attr->write_only;
  return Attribute::kReference;
}

std::string Evaluation::Describe(const HandleData& handle) const {
  if (handle.is_server) {
    const ServerBlock& server = config_.servers.at(handle.index);
    return DeclarationSubject(server.type, server.name);
  }
  return config_.resources.at(handle.index).address.ToString();
}

std::string Evaluation::Env(const std::string& name, SourcePos pos) {
  if (!EnvAllowed(name)) {
    std::string allowed;
    for (const auto& pattern : options_.env_allow) allowed += (allowed.empty() ? "" : ", ") + pattern;
    diagnostics_.Error(std::move(pos), "env \"" + name + "\"", "not allowed by -env-allow", "allowed: " + allowed);
    return "";
  }
  std::optional<std::string> value = options_.getenv(name);
  last_env_unknown_ = !value && options_.unset_env_unknown;
  if (value || last_env_unknown_) return value.value_or("");
  diagnostics_.Error(std::move(pos), "env \"" + name + "\"", "environment variable is not set");
  return "";
}

void Evaluation::ReportUnknownType(const std::string& ns, const std::string& name, SourcePos pos) {
  if (!reported_places_.insert(ns + "." + name + "@" + pos.ToString()).second) return;
  std::vector<std::string> known;
  for (const auto& type : type_names_)
    if (type.ns == ns) known.push_back(type.name);
  diagnostics_.Error(std::move(pos), "", ns + "." + name + " is not a known type", DidYouMean(name, known));
}

bool Evaluation::EnvAllowed(const std::string& name) const {
  if (options_.env_allow.empty()) return true;
  return std::any_of(options_.env_allow.begin(), options_.env_allow.end(),
                     [&](const std::string& pattern) { return GlobMatch(pattern, name); });
}

void Evaluation::FindModule(const std::string& name, std::string& error) {
  const bool valid = !name.empty() && name.front() != '/' && name.back() != '/' &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '/';
                     }) && name.find("//") == std::string::npos;
  if (!valid) {
    error = "import \"" + name + "\": a module name is made of letters, digits, _ and -, with / between folders";
    return;
  }
  std::vector<std::pair<std::string, std::string>> candidates;  // path to read, chunk name to show
  if (!folder_.empty()) candidates.push_back({folder_ + "/" + name + ".lua", name + ".lua"});
  for (const auto& path : options_.module_paths) candidates.push_back({path + "/" + name + ".lua", path + "/" + name + ".lua"});
  for (const auto& [path, chunk] : candidates) {
    if (auto text = ReadConfigFile(options_, path)) {
      module_text_ = std::move(*text);
      scratch_ = chunk;
      std::string prefix = name;
      std::replace(prefix.begin(), prefix.end(), '/', '.');
      module_of_file_[chunk] = prefix;
      return;
    }
  }
  std::string searched;
  for (const auto& [path, chunk] : candidates) searched += (searched.empty() ? "" : ", ") + path;
  error = "import \"" + name + "\": module not found" + (searched.empty() ? "" : " (searched " + searched + ")");
}

void Evaluation::Finish() {
  for (const auto& pending : pending_)
    if (!pending.complete)
      Report(pending, "declaration has no body; write " + DeclarationSubject(pending.schema->type, pending.name) +
                          " { ... }");
  BindImplicitServers();
  CheckDuplicateNaturalKeys(config_, schemas_, diagnostics_);
  CheckRefactoringBlocks();
  CheckUnusedInputs();
}

void Evaluation::BindImplicitServers() {
  for (size_t index : unbound_resources_) {
    ResourceBlock& block = config_.resources[index];
    const ResourceSchema* schema = nullptr;
    for (const auto* candidate : schemas_)
      if (candidate->type == block.address.type) schema = candidate;
    std::vector<std::string> names;
    for (const auto& server : config_.servers)
      if (server.type == schema->server_type) names.push_back("\"" + server.name + "\"");
    if (names.size() == 1) {
      block.server = names[0].substr(1, names[0].size() - 2);
      continue;
    }
    const std::string subject = DeclarationSubject(block.address.type, block.address.name);
    if (names.empty()) {
      diagnostics_.Error(block.pos, subject, "no " + schema->server_type + " is declared",
                         "declare one: " + schema->server_type + " \"name\" { ... }");
    } else {
      std::string list;
      for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
      diagnostics_.Error(block.pos, subject,
                         "server is not set and " + std::to_string(names.size()) + " " + schema->server_type +
                             " blocks are declared (" + list + ")",
                         "choose one with server = <handle>");
    }
  }
}

}  // namespace stashform::dsl
