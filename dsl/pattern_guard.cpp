#include "dsl/pattern_guard.h"

#include <lua.hpp>

#include <cmath>
#include <initializer_list>

namespace stashform::dsl {

namespace {

// About a second of matching; far above what matching names and URLs needs.
constexpr double kMaxSteps = 2e8;

// Upvalues: the original function, its name. Arguments as the original takes them.
int GuardedPatternCall(lua_State* L) {
  const char* name = lua_tostring(L, lua_upvalueindex(2));
  if (lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TSTRING && !lua_toboolean(L, 4)) {
    size_t subject_size = 0, pattern_size = 0;
    lua_tolstring(L, 1, &subject_size);
    const char* pattern = lua_tolstring(L, 2, &pattern_size);
    const int repetitions = CountRepetitions(pattern, pattern_size);
    const double steps = std::pow(static_cast<double>(subject_size) + 1.0, repetitions + 1);
    if (repetitions > 0 && steps > kMaxSteps)
      return luaL_error(L,
                        "string.%s: a pattern with %d repetitions could take too long on %d bytes in the sandbox; "
                        "match a shorter string or use fewer *, + and -",
                        name, repetitions, static_cast<int>(subject_size));
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

}  // namespace

int CountRepetitions(const char* pattern, size_t size) {
  int count = 0;
  for (size_t i = 0; i < size; ++i) {
    const char c = pattern[i];
    if (c == '%') {
      ++i;  // an escaped character or class
    } else if (c == '[') {
      // A set: skip to its closing ']' (a ']' right after '[' or '[^' belongs to the set).
      size_t j = i + 1;
      if (j < size && pattern[j] == '^') ++j;
      if (j < size && pattern[j] == ']') ++j;
      while (j < size && pattern[j] != ']') j += pattern[j] == '%' ? 2 : 1;
      i = j;
    } else if ((c == '*' || c == '+' || c == '-') && i > 0) {
      ++count;
    }
  }
  return count;
}

void GuardPatternFunctions(lua_State* L) {
  lua_getglobal(L, LUA_STRLIBNAME);
  for (const char* name : {"find", "match", "gmatch", "gsub"}) {
    lua_getfield(L, -1, name);
    lua_pushstring(L, name);
    lua_pushcclosure(L, GuardedPatternCall, 2);
    lua_setfield(L, -2, name);
  }
  lua_pop(L, 1);
}

}  // namespace stashform::dsl
