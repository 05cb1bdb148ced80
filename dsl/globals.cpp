// The Lua functions of the DSL: namespaces of declarable types, env, secret, and the behaviour
// of handles and secrets. Each C function keeps its C++ work inside GuardedCall and touches the
// Lua stack for results only afterwards, so Lua's longjmp never skips a C++ destructor.

#include <lua.hpp>

#include "dsl/evaluation.h"
#include "dsl/lua_errors.h"
#include "dsl/lua_helpers.h"
#include "dsl/sandbox_libraries.h"
#include "base/did_you_mean.h"

namespace stashform::dsl {

namespace {

// Upvalues: evaluation, pending index. Called with the body table.
int DeclarationBody(lua_State* L) {
  HandleData handle;
  const auto pending = static_cast<size_t>(lua_tointeger(L, lua_upvalueindex(2)));
  GuardedCall(L, [&](std::string& error) {
    handle = EvaluationOf(L).CompleteDeclaration(pending, 1, error);
    return 0;
  });
  PushHandle(L, handle);
  return 1;
}

// Upvalues: evaluation, schema index. `bitbucket.webhook "name"` returns the body function.
int Declare(lua_State* L) {
  Evaluation& evaluation = EvaluationOf(L);
  const auto schema_index = static_cast<size_t>(lua_tointeger(L, lua_upvalueindex(2)));
  size_t pending = 0;
  GuardedCall(L, [&](std::string& error) {
    const ResourceSchema& schema = *evaluation.type_names().at(schema_index).schema;
    if (lua_type(L, 1) != LUA_TSTRING) {
      error = schema.type + ": expected a name, as in " + schema.type + " \"name\" { ... }, got " +
              luaL_typename(L, 1);
      return 0;
    }
    pending = evaluation.BeginDeclaration(schema, lua_tostring(L, 1), CallerPos(L), error, OutermostPos(L));
    return 0;
  });
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushinteger(L, static_cast<lua_Integer>(pending));
  lua_pushcclosure(L, DeclarationBody, 2);
  return 1;
}

// Upvalues: evaluation, namespace name. __index of a namespace: the name is not a known type.
// The result is unknown, so that `bitbucket.webhok "x" { ... }` reports once and evaluation
// goes on to find the config's other problems.
int UnknownType(lua_State* L) {
  GuardedCall(L, [&](std::string&) {
    const std::string ns = lua_tostring(L, lua_upvalueindex(2));
    const std::string name = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
    EvaluationOf(L).ReportUnknownType(ns, name, CallerPos(L));
    return 0;
  });
  PushUnknown(L);
  return 1;
}

// Upvalues: evaluation, type index. `bitbucket.repositories { ... }` returns the data.
int DataSource(lua_State* L) {
  Evaluation& evaluation = EvaluationOf(L);
  const auto type_index = static_cast<size_t>(lua_tointeger(L, lua_upvalueindex(2)));
  GuardedCall(L, [&](std::string& error) {
    evaluation.ReadDataSource(*evaluation.type_names().at(type_index).schema, CallerPos(L), 1, error);
    return 0;
  });
  PushValue(L, evaluation.scratch_value());
  return 1;
}

// Reads the variable named by the argument at `name_index`. Sensitive unless the config asked
// for a plain value: a token read by mistake through `env` is masked, a URL must be asked for.
int ReadEnv(lua_State* L, int name_index, bool sensitive, const char* function) {
  Evaluation& evaluation = EvaluationOf(L);
  GuardedCall(L, [&](std::string& error) {
    if (lua_type(L, name_index) != LUA_TSTRING) {
      error = std::string(function) + ": expected a variable name, got " + luaL_typename(L, name_index);
      return 0;
    }
    evaluation.scratch() = evaluation.Env(lua_tostring(L, name_index), CallerPos(L));
    return 0;
  });
  if (evaluation.last_env_unknown()) {
    // validate runs without credentials: an unset variable is a value only apply would know.
    PushUnknown(L);
    return 1;
  }
  lua_pushlstring(L, evaluation.scratch().data(), evaluation.scratch().size());
  if (sensitive) PushSecret(L, -1);
  return 1;
}

// `env "NAME"`: the env table's __call, so the arguments are (env, name).
int Env(lua_State* L) { return ReadEnv(L, 2, true, "env"); }

// `env.plain "NAME"`: a value that may be printed (a URL, a user name).
int EnvPlain(lua_State* L) { return ReadEnv(L, 1, false, "env.plain"); }

int RefuseEnvWrite(lua_State* L) { return luaL_error(L, "env is read-only"); }

// env is an empty table: calling it reads a sensitive value, env.plain a plain one; its
// metatable is hidden and writes are refused, so no file can change what another file reads.
void InstallEnv(lua_State* L, Evaluation* evaluation) {
  lua_newtable(L);                      // env
  lua_newtable(L);                      // its metatable
  lua_newtable(L);                      // __index
  SetMethod(L, "plain", EnvPlain, evaluation);
  lua_setfield(L, -2, "__index");
  SetMethod(L, "__call", Env, evaluation);
  lua_pushcfunction(L, RefuseEnvWrite);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_setfield(L, -2, "env");
}

// `warn "text"` (in place of Lua's own, which writes to stderr): a config warning at the user's
// line, so that a recipe can say "this works, but …" where validate and plan show it.
int Warn(lua_State* L) {
  Evaluation& evaluation = EvaluationOf(L);
  GuardedCall(L, [&](std::string& error) {
    if (lua_type(L, 1) != LUA_TSTRING) {
      error = std::string("warn: expected a message, got ") + luaL_typename(L, 1);
      return 0;
    }
    evaluation.Warn(OutermostPos(L), lua_tostring(L, 1));
    return 0;
  });
  return 0;
}

int Secret(lua_State* L) {
  luaL_checkany(L, 1);
  PushSecret(L, 1);
  return 1;
}

int SecretToString(lua_State* L) {
  return luaL_error(L, "a sensitive value cannot be converted to a string; use it directly or with ..");
}

int HandleToString(lua_State* L) {
  Evaluation& evaluation = EvaluationOf(L);
  GuardedCall(L, [&](std::string&) {
    evaluation.scratch() = evaluation.Describe(*ToHandle(L, 1));
    return 0;
  });
  lua_pushlstring(L, evaluation.scratch().data(), evaluation.scratch().size());
  return 1;
}

// Unknown values stay unknown through indexing, concatenation and calls; integer keys give nil
// so that `for _, x in ipairs(unknown)` runs no iteration.
int UnknownIndex(lua_State* L) {
  if (lua_type(L, 2) == LUA_TNUMBER) return 0;
  PushUnknown(L);
  return 1;
}

int UnknownResult(lua_State* L) {
  PushUnknown(L);
  return 1;
}

int UnknownToString(lua_State* L) {
  return luaL_error(L, "a value known only after apply cannot be converted to a string; use it directly or with ..");
}

// `handle.attribute`: a reference for a resource, the configured value for a server.
int HandleIndex(lua_State* L) {
  Evaluation& evaluation = EvaluationOf(L);
  Evaluation::Attribute found = Evaluation::Attribute::kUnknown;
  GuardedCall(L, [&](std::string&) {
    const std::string key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
    found = evaluation.ResolveAttribute(*ToHandle(L, 1), key, CallerPos(L));
    return 0;
  });
  if (found == Evaluation::Attribute::kValue)
    PushValue(L, evaluation.scratch_value());
  else if (found == Evaluation::Attribute::kReference)
    PushReference(L, evaluation.scratch(), lua_tostring(L, 2), evaluation.scratch_sensitive());
  else
    PushUnknown(L);
  return 1;
}

int ReferenceToString(lua_State* L) {
  return luaL_error(L, "a reference is known only when the engine resolves it; use it directly or with ..");
}

void SetObjectName(lua_State* L, const char* name) {
  lua_pushstring(L, name);
  lua_setfield(L, -2, "__name");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
}

void SetupObjectMetatables(lua_State* L, Evaluation* evaluation) {
  CreateObjectMetatables(L);
  PushHandleMetatable(L);
  SetMethod(L, "__index", HandleIndex, evaluation);
  SetMethod(L, "__tostring", HandleToString, evaluation);
  SetObjectName(L, "handle");
  lua_pop(L, 1);
  PushUnknownMetatable(L);
  SetMethod(L, "__index", UnknownIndex, evaluation);
  SetMethod(L, "__concat", ConcatObjects, evaluation);
  SetMethod(L, "__call", UnknownResult, evaluation);
  SetMethod(L, "__tostring", UnknownToString, evaluation);
  SetObjectName(L, "unknown");
  lua_pop(L, 1);
  PushSecretMetatable(L);
  SetMethod(L, "__concat", ConcatObjects, evaluation);
  SetMethod(L, "__tostring", SecretToString, evaluation);
  SetObjectName(L, "sensitive");
  lua_pop(L, 1);
  PushReferenceMetatable(L);
  SetMethod(L, "__concat", ConcatObjects, evaluation);
  SetMethod(L, "__tostring", ReferenceToString, evaluation);
  SetObjectName(L, "reference");
  lua_pop(L, 1);
  PushJoinMetatable(L);
  SetMethod(L, "__concat", ConcatObjects, evaluation);
  SetMethod(L, "__tostring", ReferenceToString, evaluation);
  SetObjectName(L, "reference");
  lua_pop(L, 1);
}

const char kNamespaces = 0;  // registry key of the table of namespaces by name

// Pushes the namespace table `ns` (creating it and its "unknown type" guard on first use).
void PushNamespace(lua_State* L, const char* ns, Evaluation* evaluation) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kNamespaces);
  if (lua_getfield(L, -1, ns) == LUA_TTABLE) {
    lua_remove(L, -2);
    return;
  }
  lua_pop(L, 1);
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushlightuserdata(L, evaluation);
  lua_pushstring(L, ns);
  lua_pushcclosure(L, UnknownType, 2);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, ns);
  PushReadOnlyView(L, -1, ns);  // recipes declare through it too: no file may redefine a type
  lua_setglobal(L, ns);
  lua_remove(L, -2);
}

// Runs protected: any allocation may fail under a small memory limit.
int InstallGlobalsProtected(lua_State* L) {
  auto* evaluation = static_cast<Evaluation*>(lua_touserdata(L, 1));
  SetupObjectMetatables(L, evaluation);
  lua_pushglobaltable(L);
  InstallEnv(L, evaluation);
  SetMethod(L, "secret", Secret, evaluation);
  SetMethod(L, "warn", Warn, evaluation);
  lua_pop(L, 1);
  InstallBlockGlobals(L, evaluation);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kNamespaces);
  const auto& types = evaluation->type_names();
  for (size_t i = 0; i < types.size(); ++i) {
    if (types[i].name.empty()) continue;
    PushNamespace(L, types[i].ns.c_str(), evaluation);
    lua_pushlightuserdata(L, evaluation);
    lua_pushinteger(L, static_cast<lua_Integer>(i));
    lua_pushcclosure(L, types[i].is_data ? DataSource : Declare, 2);
    lua_setfield(L, -2, types[i].name.c_str());
    lua_pop(L, 1);
  }
  SnapshotGlobals(L);
  return 0;
}

}  // namespace

bool Evaluation::InstallGlobals() {
  lua_State* L = sandbox_.state();
  lua_pushcfunction(L, InstallGlobalsProtected);
  lua_pushlightuserdata(L, this);
  if (lua_pcall(L, 1, 0, 0) == LUA_OK) return true;
  lua_pop(L, 1);
  diagnostics_.Error({}, "", sandbox_.MemoryLimitMessage() + " while preparing the sandbox");
  return false;
}

}  // namespace stashform::dsl
