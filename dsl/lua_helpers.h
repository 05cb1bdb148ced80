#pragma once
// Small helpers shared by the files that define the DSL's Lua functions.

#include <lua.hpp>

#include "dsl/evaluation.h"

namespace stashform::dsl {

/// Every DSL C function has the Evaluation as its first upvalue.
inline Evaluation& EvaluationOf(lua_State* L) {
  return *static_cast<Evaluation*>(lua_touserdata(L, lua_upvalueindex(1)));
}

/// The Lua line that called the running C function. The file is the chunk's full name (Lua's
/// short_src cuts long paths), which also tells which module declared something.
inline SourcePos CallerPos(lua_State* L) {
  lua_Debug ar;
  if (!lua_getstack(L, 1, &ar) || !lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) return {};
  return {ar.source[0] == '@' ? ar.source + 1 : ar.short_src, ar.currentline};
}

/// The outermost Lua frame's place: the user's own line when a recipe's function declares a
/// block, or {} when there is no Lua caller.
inline SourcePos OutermostPos(lua_State* L) {
  lua_Debug ar;
  SourcePos outermost;
  for (int level = 1; lua_getstack(L, level, &ar); ++level)
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0)
      outermost = {ar.source[0] == '@' ? ar.source + 1 : ar.short_src, ar.currentline};
  return outermost;
}

/// table[name] = function, with the Evaluation as upvalue; the table is on top of the stack.
inline void SetMethod(lua_State* L, const char* name, lua_CFunction function, Evaluation* evaluation) {
  lua_pushlightuserdata(L, evaluation);
  lua_pushcclosure(L, function, 1);
  lua_setfield(L, -2, name);
}

/// `import "name"` (modules.cpp).
int ImportModule(lua_State* L);

/// Keeps a copy of the globals as they are before the config runs, which modules see first: a
/// file that replaces `string` or `env` in the globals does not reach what recipes compute
/// (modules.cpp).
void SnapshotGlobals(lua_State* L);

/// Makes `variable`, `var`, `output`, `moved`, `removed` and `import` (blocks.cpp).
void InstallBlockGlobals(lua_State* L, Evaluation* evaluation);

}  // namespace stashform::dsl
