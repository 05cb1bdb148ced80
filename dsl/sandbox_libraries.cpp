#include "dsl/sandbox_libraries.h"

#include <lua.hpp>

#include <cstring>
#include <initializer_list>

#include "dsl/pattern_guard.h"
#include "dsl/sandbox.h"

namespace stashform::dsl {

namespace {

// Globals that a sandboxed script must not reach; reading one says so instead of "nil value".
constexpr const char* kRemovedGlobals[] = {"io", "debug", "package", "require", "dofile",
                                           "loadfile", "print", "coroutine", "loadstring"};

bool IsRemovedGlobal(const char* name) {
  for (const char* removed : kRemovedGlobals)
    if (std::strcmp(removed, name) == 0) return true;
  return false;
}

// load(chunk [, chunkname [, mode [, env]]]) for text chunks only: bytecode can break out of any
// sandbox, so the mode is always "t" and asking for "b" is refused.
int SafeLoad(lua_State* L) {
  size_t size = 0;
  const char* text = luaL_checklstring(L, 1, &size);
  const char* chunk_name = luaL_optstring(L, 2, "=(load)");
  const char* mode = luaL_optstring(L, 3, "t");
  if (std::strcmp(mode, "t") != 0)
    return luaL_error(L, "load: only text chunks are allowed in the sandbox (mode \"t\")");
  const bool has_env = !lua_isnone(L, 4);
  if (luaL_loadbufferx(L, text, size, chunk_name, "t") != LUA_OK) {
    luaL_pushfail(L);
    lua_insert(L, -2);
    return 2;  // nil, message: as the standard load does
  }
  if (has_env) {
    lua_pushvalue(L, 4);
    lua_setupvalue(L, -2, 1);  // the first upvalue of a main chunk is its _ENV
  }
  return 1;
}

// collectgarbage("count") only: other options let a script pause the collector or time itself.
int SafeCollectGarbage(lua_State* L) {
  const char* option = luaL_optstring(L, 1, "count");
  if (std::strcmp(option, "count") != 0)
    return luaL_error(L, "collectgarbage: only \"count\" is available in the sandbox");
  lua_pushnumber(L, static_cast<lua_Number>(Sandbox::Of(L).memory_used()) / 1024.0);
  return 1;
}

// __index of a library table: names taken out of it are reported as unavailable.
int RemovedFieldIndex(lua_State* L) {
  const char* library = lua_tostring(L, lua_upvalueindex(1));
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  return luaL_error(L, "%s.%s is not available in the sandbox", library, lua_tostring(L, 2));
}

// __index of _G: removed libraries get a clear message; other unknown names stay nil so that
// ordinary Lua idioms (`x = x or 1`) keep working.
int GlobalIndex(lua_State* L) {
  if (lua_type(L, 2) == LUA_TSTRING && IsRemovedGlobal(lua_tostring(L, 2)))
    return luaL_error(L, "%s is not available in the sandbox", lua_tostring(L, 2));
  return 0;
}

void ProtectTable(lua_State* L, int table, lua_CFunction index, const char* library) {
  table = lua_absindex(L, table);
  lua_createtable(L, 0, 2);
  lua_pushstring(L, library);
  lua_pushcclosure(L, index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");  // getmetatable sees false; setmetatable is refused
  lua_setmetatable(L, table);
}

void KeepOnly(lua_State* L, const char* library, std::initializer_list<const char*> kept) {
  lua_getglobal(L, library);
  lua_newtable(L);
  for (const char* name : kept) {
    lua_getfield(L, -2, name);
    lua_setfield(L, -2, name);
  }
  ProtectTable(L, -1, RemovedFieldIndex, library);
  lua_setglobal(L, library);
  lua_pop(L, 1);
}

// pcall and xpcall as in lbaselib, except that they let the instruction and time limits through: otherwise
// a loop around pcall would catch the limit's error forever.
int FinishProtectedCall(lua_State* L, int status, int extra) {
  Sandbox::Of(L).RaiseIfStopped(L);
  if (status != LUA_OK) {
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);
    return 2;
  }
  return lua_gettop(L) - extra;
}

int SafePcall(lua_State* L) {
  luaL_checkany(L, 1);
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  return FinishProtectedCall(L, lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 0), 0);
}

int SafeXpcall(lua_State* L) {
  const int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushboolean(L, 1);
  lua_pushvalue(L, 1);
  lua_rotate(L, 3, 2);
  return FinishProtectedCall(L, lua_pcall(L, n - 2, LUA_MULTRET, 2), 2);
}

// setmetatable as in lbaselib, except that a metatable with a __gc field is refused. Lua runs
// finalizers with hooks off, so neither limit could stop one (it would spin in lua_close), and Lua
// marks a table for finalization only here, when its metatable is set with __gc present: a __gc
// assigned later is never called, so refusing it here is enough.
int SafeSetmetatable(lua_State* L) {
  const int kind = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, kind == LUA_TNIL || kind == LUA_TTABLE, 2, "nil or table");
  if (kind == LUA_TTABLE && (lua_pushliteral(L, "__gc"), lua_rawget(L, 2)) != LUA_TNIL)
    return luaL_error(L, "setmetatable: __gc (finalizers) is not allowed in a config: Lua runs them outside the "
                         "sandbox's limits, where one could hang the run; remove the __gc field");
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

}  // namespace

int OpenSafeLibraries(lua_State* L) {
  const luaL_Reg libraries[] = {{LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
                                {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
                                {LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_OSLIBNAME, luaopen_os}};
  for (const auto& library : libraries) {
    luaL_requiref(L, library.name, library.func, 1);
    lua_pop(L, 1);
  }
  for (const char* name : kRemovedGlobals) {
    lua_pushnil(L);
    lua_setglobal(L, name);
  }
  lua_register(L, "load", SafeLoad);
  lua_register(L, "collectgarbage", SafeCollectGarbage);
  lua_register(L, "pcall", SafePcall);
  lua_register(L, "xpcall", SafeXpcall);
  lua_register(L, "setmetatable", SafeSetmetatable);
  KeepOnly(L, LUA_OSLIBNAME, {"time", "date", "clock"});
  // string is also the __index of every string's metatable, so edit the table in place.
  GuardPatternFunctions(L);
  lua_getglobal(L, LUA_STRLIBNAME);
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  ProtectTable(L, -1, RemovedFieldIndex, LUA_STRLIBNAME);
  lua_pop(L, 1);
  lua_pushglobaltable(L);
  ProtectTable(L, -1, GlobalIndex, "_G");
  lua_pop(L, 1);
  return 0;
}

}  // namespace stashform::dsl
