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

// The type of table[name] without metamethods, as Lua itself looks up __gc; pushes the value.
int RawFieldType(lua_State* L, int table, const char* name) {
  table = lua_absindex(L, table);
  lua_pushstring(L, name);
  return lua_rawget(L, table);
}

// setmetatable as in lbaselib, except that a metatable with a __gc field is refused. Lua runs
// finalizers with hooks off, so neither limit could stop one (it would spin in lua_close), and Lua
// marks a table for finalization only here, when its metatable is set with __gc present: a __gc
// assigned later is never called, so refusing it here is enough.
int SafeSetmetatable(lua_State* L) {
  const int kind = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, kind == LUA_TNIL || kind == LUA_TTABLE, 2, "nil or table");
  if (kind == LUA_TTABLE && RawFieldType(L, 2, "__gc") != LUA_TNIL)
    return luaL_error(L, "setmetatable: __gc (finalizers) is not allowed in a config: Lua runs them outside the "
                         "sandbox's limits, where one could hang the run; remove the __gc field");
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

// __newindex of a read-only view. Upvalues: the view's name ("string") and the prefix of its
// fields in messages ("string.").
int RefuseWrite(lua_State* L) {
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
  return luaL_error(L,
                    "%s is read-only in the sandbox (%s%s), so that one file cannot change what another "
                    "computes; keep your own functions in a local table",
                    lua_tostring(L, lua_upvalueindex(1)), lua_tostring(L, lua_upvalueindex(2)), key);
}

// __pairs of a read-only view: iterates the table behind it. Upvalues: the table, next.
int ViewPairs(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushnil(L);
  return 3;
}

// __len of a read-only view. Upvalue: the table.
int ViewLength(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, lua_upvalueindex(1))));
  return 1;
}

// The name of the read-only view at `index`, or nullptr when it is not one.
const char* ReadOnlyViewName(lua_State* L, int index) {
  if (!lua_getmetatable(L, index)) return nullptr;
  const char* name = nullptr;
  if (RawFieldType(L, -1, "__newindex") == LUA_TFUNCTION && lua_tocfunction(L, -1) == RefuseWrite &&
      lua_getupvalue(L, -1, 1)) {
    name = lua_tostring(L, -1);  // kept alive by the closure's upvalue
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
  return name;
}

// rawset as in lbaselib, except that it cannot write into a read-only view.
int SafeRawset(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  luaL_checkany(L, 3);
  if (const char* name = ReadOnlyViewName(L, 1))
    return luaL_error(L, "rawset: %s is read-only in the sandbox; keep your own functions in a local table", name);
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 1;
}

void ReplaceGlobalWithView(lua_State* L, const char* name) {
  lua_getglobal(L, name);
  PushReadOnlyView(L, -1, name);
  lua_setglobal(L, name);
  lua_pop(L, 1);
}

// Strings index the read-only string view, and getmetatable("") answers a read-only view of
// their metatable: otherwise `getmetatable("").__index = ...` would reach every string.
void ProtectStringMetatable(lua_State* L) {
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_getglobal(L, LUA_STRLIBNAME);
  lua_setfield(L, -2, "__index");
  PushReadOnlyView(L, -1, "the string metatable", "getmetatable(\"\").");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);
}

}  // namespace

void PushReadOnlyView(lua_State* L, int table, const char* name, const char* field_prefix) {
  table = lua_absindex(L, table);
  lua_newtable(L);
  lua_createtable(L, 0, 5);
  lua_pushvalue(L, table);
  lua_setfield(L, -2, "__index");
  lua_pushstring(L, name);
  if (field_prefix) lua_pushstring(L, field_prefix);
  else lua_pushfstring(L, "%s.", name);
  lua_pushcclosure(L, RefuseWrite, 2);
  lua_setfield(L, -2, "__newindex");
  lua_pushvalue(L, table);
  lua_getglobal(L, "next");
  lua_pushcclosure(L, ViewPairs, 2);
  lua_setfield(L, -2, "__pairs");
  lua_pushvalue(L, table);
  lua_pushcclosure(L, ViewLength, 1);
  lua_setfield(L, -2, "__len");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
}

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
  lua_register(L, "rawset", SafeRawset);
  KeepOnly(L, LUA_OSLIBNAME, {"time", "date", "clock"});
  // string is also the __index of every string's metatable, so edit the table in place.
  GuardPatternFunctions(L);
  lua_getglobal(L, LUA_STRLIBNAME);
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  ProtectTable(L, -1, RemovedFieldIndex, LUA_STRLIBNAME);
  lua_pop(L, 1);
  // Every file and module of an evaluation shares the libraries: read-only, so that one file
  // cannot change what a shipped recipe computes.
  for (const char* library : {LUA_STRLIBNAME, LUA_TABLIBNAME, LUA_MATHLIBNAME, LUA_UTF8LIBNAME, LUA_OSLIBNAME})
    ReplaceGlobalWithView(L, library);
  ProtectStringMetatable(L);
  lua_pushglobaltable(L);
  ProtectTable(L, -1, GlobalIndex, "_G");
  lua_pop(L, 1);
  return 0;
}

}  // namespace stashform::dsl
