// The Lua functions of the keyword blocks: variable/var, output, moved, removed, import.
// As in globals.cpp, C++ work runs inside GuardedCall and results are pushed afterwards.

#include <lua.hpp>

#include "dsl/lua_errors.h"
#include "dsl/lua_helpers.h"

namespace stashform::dsl {

namespace {

using BodyMethod = void (Evaluation::*)(const std::string&, SourcePos, int, std::string&);
using BlockMethod = void (Evaluation::*)(SourcePos, int, std::string&);

// Upvalues: evaluation, name, file, line. The second call of `keyword "name" { body }`.
template <BodyMethod Method>
int NamedBody(lua_State* L) {
  GuardedCall(L, [&](std::string& error) {
    SourcePos pos{lua_tostring(L, lua_upvalueindex(3)), static_cast<int>(lua_tointeger(L, lua_upvalueindex(4)))};
    (EvaluationOf(L).*Method)(lua_tostring(L, lua_upvalueindex(2)), std::move(pos), 1, error);
    return 0;
  });
  PushValue(L, EvaluationOf(L).scratch_value());
  return 1;
}

// The first call of `keyword "name" { body }`: keeps the name and the caller's line.
template <BodyMethod Method>
int Named(lua_State* L) {
  lua_Debug ar;
  const bool known = lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar);
  if (lua_type(L, 1) != LUA_TSTRING)
    return luaL_error(L, "expected a name, as in %s \"name\" { ... }, got %s", lua_tostring(L, lua_upvalueindex(2)),
                      luaL_typename(L, 1));
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, 1);
  lua_pushstring(L, known ? ar.short_src : "");
  lua_pushinteger(L, known ? ar.currentline : 0);
  lua_pushcclosure(L, NamedBody<Method>, 4);
  return 1;
}

template <BlockMethod Method>
int Block(lua_State* L) {
  GuardedCall(L, [&](std::string& error) {
    EvaluationOf(L).scratch_value() = Value();
    (EvaluationOf(L).*Method)(CallerPos(L), 1, error);
    return 0;
  });
  return 0;
}

// `import "module"` loads a module; `import { to, id }` adopts a remote object.
int Import(lua_State* L) {
  if (lua_type(L, 1) == LUA_TTABLE) return Block<&Evaluation::DeclareImport>(L);
  return ImportModule(L);
}

// __index of `var`.
int VarIndex(lua_State* L) {
  GuardedCall(L, [&](std::string& error) {
    if (lua_type(L, 2) != LUA_TSTRING) {
      error = "var: variable names are strings";
      return 0;
    }
    EvaluationOf(L).ReadVariable(lua_tostring(L, 2), CallerPos(L));
    return 0;
  });
  PushValue(L, EvaluationOf(L).scratch_value());
  return 1;
}

int VarNewIndex(lua_State* L) {
  return luaL_error(L, "var is read-only; declare inputs with variable \"name\" { ... }");
}

void SetNamed(lua_State* L, const char* keyword, lua_CFunction function, Evaluation* evaluation) {
  lua_pushlightuserdata(L, evaluation);
  lua_pushstring(L, keyword);
  lua_pushcclosure(L, function, 2);
  lua_setfield(L, -2, keyword);
}

}  // namespace

void InstallBlockGlobals(lua_State* L, Evaluation* evaluation) {
  lua_pushglobaltable(L);
  SetNamed(L, "variable", Named<&Evaluation::DeclareVariable>, evaluation);
  SetNamed(L, "output", Named<&Evaluation::DeclareOutput>, evaluation);
  SetMethod(L, "moved", Block<&Evaluation::DeclareMoved>, evaluation);
  SetMethod(L, "removed", Block<&Evaluation::DeclareRemoved>, evaluation);
  SetMethod(L, "import", Import, evaluation);
  SetMethod(L, "unmanaged", Block<&Evaluation::DeclareUnmanaged>, evaluation);
  lua_newtable(L);  // var: empty, so that every read goes through __index
  lua_createtable(L, 0, 3);
  SetMethod(L, "__index", VarIndex, evaluation);
  SetMethod(L, "__newindex", VarNewIndex, evaluation);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_setfield(L, -2, "var");
  lua_pop(L, 1);
}

}  // namespace stashform::dsl
