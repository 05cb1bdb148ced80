// `import "name"`: loading a module (a Lua file of recipes) into the same sandbox.

#include <lua.hpp>

#include "dsl/lua_errors.h"
#include "dsl/lua_helpers.h"
#include "dsl/sandbox_libraries.h"

namespace stashform::dsl {

namespace {

// Registry key of the table of modules by name: their results, or false while one is loading.
const char kModules = 0;

void PushModulesTable(lua_State* L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kModules) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kModules);
}

// Registry key of the globals as they were before the config ran (SnapshotGlobals).
const char kGlobalsBeforeConfig = 0;

// A module's globals are its own; reads fall through to the globals as they were before the
// config ran, then to the sandbox's globals as they are now.
void PushModuleEnvironment(lua_State* L) {
  lua_newtable(L);
  lua_createtable(L, 0, 2);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kGlobalsBeforeConfig);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");  // the snapshot stays out of reach
  lua_setmetatable(L, -2);
}

// Returns the module's result on top of the stack as importers see it: every importer gets the
// same table, so they get a read-only view of it, or one file could change what the module
// computes for every other file (and for itself, as it reads its own table).
int ReturnModule(lua_State* L, const char* name) {
  if (lua_type(L, -1) == LUA_TTABLE) PushModuleView(L, -1, name);
  return 1;
}

}  // namespace

void SnapshotGlobals(lua_State* L) {
  lua_newtable(L);
  lua_pushglobaltable(L);
  for (lua_pushnil(L); lua_next(L, -2);) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, -5);
  }
  lua_createtable(L, 0, 1);
  lua_insert(L, -2);
  lua_setfield(L, -2, "__index");  // names the config defines later fall through to its globals
  lua_setmetatable(L, -2);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kGlobalsBeforeConfig);
}

int ImportModule(lua_State* L) {
  const char* name = luaL_checkstring(L, 1);
  lua_settop(L, 1);
  PushModulesTable(L);  // 2
  lua_getfield(L, 2, name);
  if (lua_toboolean(L, -1)) return ReturnModule(L, name);  // imported before: the same view
  if (lua_type(L, -1) == LUA_TBOOLEAN) return luaL_error(L, "import \"%s\": import cycle (the module imports itself, directly or not)", name);
  lua_pop(L, 1);
  Evaluation& evaluation = EvaluationOf(L);
  GuardedCall(L, [&](std::string& error) {
    evaluation.FindModule(name, error);
    return 0;
  });
  lua_pushboolean(L, 0);
  lua_setfield(L, 2, name);  // loading
  const std::string& text = evaluation.module_text();
  lua_pushfstring(L, "@%s", evaluation.scratch().c_str());
  if (luaL_loadbufferx(L, text.data(), text.size(), lua_tostring(L, -1), "t") != LUA_OK) return lua_error(L);
  PushModuleEnvironment(L);
  lua_setupvalue(L, -2, 1);  // the first upvalue of a main chunk is its _ENV
  lua_call(L, 0, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, 2, name);
  return ReturnModule(L, name);
}

}  // namespace stashform::dsl
