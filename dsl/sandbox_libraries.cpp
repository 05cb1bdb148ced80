#include "dsl/sandbox_libraries.h"

#include <lua.hpp>

#include <cctype>
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

// Keys in a view's metatable (light userdata: a script can make neither): the table behind the
// view, and the `next` that iterates it as the view shows it.
const char kViewTarget = 0;
const char kViewNext = 0;
// Registry key of the views of module tables, by the table they show (weak keys), so that a
// nested table read twice gives the same view.
const char kModuleViews = 0;

bool IsIdentifier(const char* name) {
  if (!std::isalpha(static_cast<unsigned char>(*name)) && *name != '_') return false;
  for (; *name; ++name)
    if (!std::isalnum(static_cast<unsigned char>(*name)) && *name != '_') return false;
  return true;
}

// Pushes `path` followed by the key at `key` as Lua would write it: path.name, path[3], path["a b"].
void PushFieldPath(lua_State* L, const char* path, int key) {
  if (lua_type(L, key) == LUA_TSTRING && IsIdentifier(lua_tostring(L, key)))
    lua_pushfstring(L, "%s.%s", path, lua_tostring(L, key));
  else if (lua_isinteger(L, key))
    lua_pushfstring(L, "%s[%I]", path, static_cast<LUAI_UACINT>(lua_tointeger(L, key)));
  else if (lua_type(L, key) == LUA_TSTRING)
    lua_pushfstring(L, "%s[\"%s\"]", path, lua_tostring(L, key));
  else
    lua_pushfstring(L, "%s[%s]", path, luaL_typename(L, key));
}

// Pushes "file:line: " of the nearest Lua function on the call stack, as luaL_where does for
// level 1: a write may come through a C function (table.insert), whose own place says nothing.
void PushNearestLuaWhere(lua_State* L) {
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); ++level) {
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
      lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
      return;
    }
  }
  lua_pushliteral(L, "");
}

// __newindex of a read-only view. Upvalues: the view's name ("string") and the path of its
// table in messages ("string").
int RefuseWrite(lua_State* L) {
  PushNearestLuaWhere(L);
  PushFieldPath(L, lua_tostring(L, lua_upvalueindex(2)), 2);
  lua_pushfstring(L,
                  "%s%s is read-only in the sandbox (%s), so that one file cannot change what another computes; "
                  "keep your own functions in a local table",
                  lua_tostring(L, -2), lua_tostring(L, lua_upvalueindex(1)), lua_tostring(L, -1));
  return lua_error(L);
}

// __newindex of a view of a module's table. Upvalues: the view's name (`module "spacelift"`) and
// the path of the table (`spacelift.WEBHOOK_EVENTS`).
int RefuseModuleWrite(lua_State* L) {
  PushNearestLuaWhere(L);
  PushFieldPath(L, lua_tostring(L, lua_upvalueindex(2)), 2);
  lua_pushfstring(L,
                  "%s%s is read-only in the sandbox (%s), so that one file cannot change what another computes; "
                  "copy the table first ({ table.unpack(list) }, or a loop over pairs) and change the copy",
                  lua_tostring(L, -2), lua_tostring(L, lua_upvalueindex(1)), lua_tostring(L, -1));
  return lua_error(L);
}

// Pushes the view of the table at `table` that the cache of module views holds; false when none.
bool PushCachedModuleView(lua_State* L, int table) {
  table = lua_absindex(L, table);
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kModuleViews) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");  // a view lives as long as its table
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kModuleViews);
  }
  lua_pushvalue(L, table);
  if (lua_rawget(L, -2) == LUA_TTABLE) {
    lua_remove(L, -2);
    return true;
  }
  lua_pop(L, 2);
  return false;
}

void PushModuleTableView(lua_State* L, int table, const char* name, const char* path);

// Replaces the value on top of the stack, read through a view of a module table under the key at
// `key`, with a view of it when it is a table. Upvalues 2 and 3 of the running function: the
// view's name and path.
void ViewNestedValue(lua_State* L, int key) {
  key = lua_absindex(L, key);
  if (lua_type(L, -1) != LUA_TTABLE) return;
  if (PushViewTarget(L, -1)) {  // a library, a namespace or another module: read-only already
    lua_pop(L, 1);
    return;
  }
  if (PushCachedModuleView(L, -1)) {
    lua_remove(L, -2);
    return;
  }
  PushFieldPath(L, lua_tostring(L, lua_upvalueindex(3)), key);
  PushModuleTableView(L, -2, lua_tostring(L, lua_upvalueindex(2)), lua_tostring(L, -1));
  lua_replace(L, -3);
  lua_pop(L, 1);
}

// The `next` of a view's pairs. It iterates the table behind the view (upvalue 1) and ignores
// its first argument, so that pairs never hands that table to a script.
int ViewNext(lua_State* L) {
  lua_settop(L, 2);
  if (lua_next(L, lua_upvalueindex(1))) return 2;
  lua_pushnil(L);
  return 1;
}

// ViewNext for a module table, whose nested tables come out as views. Upvalues: the table, the
// view's name, its path.
int ModuleViewNext(lua_State* L) {
  lua_settop(L, 2);
  if (!lua_next(L, lua_upvalueindex(1))) {
    lua_pushnil(L);
    return 1;
  }
  ViewNestedValue(L, 2);
  return 2;
}

// __index of a view of a module table: the table's value, a nested table as a view. Upvalues:
// the table, the view's name, its path.
int ModuleViewIndex(lua_State* L) {
  lua_settop(L, 2);
  lua_pushvalue(L, 2);
  lua_gettable(L, lua_upvalueindex(1));
  ViewNestedValue(L, 2);
  return 1;
}

// __pairs of a read-only view: the view's `next` (upvalue), the view, nil.
int ViewPairs(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

// __len of a read-only view. Upvalue: the table.
int ViewLength(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, lua_upvalueindex(1))));
  return 1;
}

// Completes the metatable of a view (on the stack under the view's `next`, which it pops): the
// table behind it, pairs, # and a hidden metatable.
void SetViewBasics(lua_State* L, int table) {
  lua_pushvalue(L, -1);
  lua_rawsetp(L, -3, &kViewNext);
  lua_pushcclosure(L, ViewPairs, 1);
  lua_setfield(L, -2, "__pairs");
  lua_pushvalue(L, table);
  lua_rawsetp(L, -2, &kViewTarget);
  lua_pushvalue(L, table);
  lua_pushcclosure(L, ViewLength, 1);
  lua_setfield(L, -2, "__len");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
}

// Pushes a closure of `function` over the table at `table`, the view's name and its path.
void PushViewClosure(lua_State* L, int table, const char* name, const char* path, lua_CFunction function) {
  lua_pushvalue(L, table);
  lua_pushstring(L, name);
  lua_pushstring(L, path);
  lua_pushcclosure(L, function, 3);
}

// Pushes a new view of the module table at `table` and records it in the cache.
void PushModuleTableView(lua_State* L, int table, const char* name, const char* path) {
  table = lua_absindex(L, table);
  lua_newtable(L);  // stays empty, so that every read and write reaches the metatable
  lua_createtable(L, 2, 6);
  PushViewClosure(L, table, name, path, ModuleViewIndex);
  lua_setfield(L, -2, "__index");
  lua_pushstring(L, name);
  lua_pushstring(L, path);
  lua_pushcclosure(L, RefuseModuleWrite, 2);
  lua_setfield(L, -2, "__newindex");
  PushViewClosure(L, table, name, path, ModuleViewNext);
  SetViewBasics(L, table);
  lua_setmetatable(L, -2);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kModuleViews);  // made by PushCachedModuleView
  lua_pushvalue(L, table);
  lua_pushvalue(L, -3);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

// The name of the read-only view at `index`, or nullptr when it is not one.
const char* ReadOnlyViewName(lua_State* L, int index) {
  if (!lua_getmetatable(L, index)) return nullptr;
  const char* name = nullptr;
  if (RawFieldType(L, -1, "__newindex") == LUA_TFUNCTION &&
      (lua_tocfunction(L, -1) == RefuseWrite || lua_tocfunction(L, -1) == RefuseModuleWrite) &&
      lua_getupvalue(L, -1, 1)) {
    name = lua_tostring(L, -1);  // kept alive by the closure's upvalue
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
  return name;
}

// next as in lbaselib, except that a read-only view (an empty table in front of another) is
// iterated as pairs iterates it.
int SafeNext(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  if (lua_getmetatable(L, 1) && lua_rawgetp(L, -1, &kViewNext) == LUA_TFUNCTION) {
    lua_replace(L, 3);
    lua_insert(L, 1);
    lua_call(L, 2, LUA_MULTRET);
    return lua_gettop(L);
  }
  lua_settop(L, 2);
  if (lua_next(L, 1)) return 2;
  lua_pushnil(L);
  return 1;
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
  PushReadOnlyView(L, -1, "the string metatable", "getmetatable(\"\")");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);
}

}  // namespace

void PushReadOnlyView(lua_State* L, int table, const char* name, const char* path) {
  table = lua_absindex(L, table);
  lua_newtable(L);
  lua_createtable(L, 2, 6);
  lua_pushvalue(L, table);
  lua_setfield(L, -2, "__index");
  lua_pushstring(L, name);
  lua_pushstring(L, path ? path : name);
  lua_pushcclosure(L, RefuseWrite, 2);
  lua_setfield(L, -2, "__newindex");
  lua_pushvalue(L, table);
  lua_pushcclosure(L, ViewNext, 1);
  SetViewBasics(L, table);
  lua_setmetatable(L, -2);
}

void PushModuleView(lua_State* L, int table, const char* module) {
  table = lua_absindex(L, table);
  if (PushViewTarget(L, table)) {  // read-only already
    lua_pop(L, 1);
    lua_pushvalue(L, table);
    return;
  }
  if (PushCachedModuleView(L, table)) return;
  lua_pushfstring(L, "module \"%s\"", module);
  PushModuleTableView(L, table, lua_tostring(L, -1), module);
  lua_remove(L, -2);
}

bool PushViewTarget(lua_State* L, int index) {
  if (lua_type(L, index) != LUA_TTABLE || !lua_getmetatable(L, index)) return false;
  if (lua_rawgetp(L, -1, &kViewTarget) == LUA_TTABLE) {
    lua_remove(L, -2);
    return true;
  }
  lua_pop(L, 2);
  return false;
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
  lua_register(L, "next", SafeNext);
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
