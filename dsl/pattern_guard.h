#pragma once
// A guard on Lua's pattern functions, whose matching runs in C where no instruction limit reaches.

#include <cstddef>

struct lua_State;

namespace stashform::dsl {

/// Wraps string.find, match, gmatch and gsub (the string table is also every string's __index)
/// so that a call whose worst case is too large is refused before it starts. Backtracking makes
/// a pattern with k repetitions (`*`, `+`, `-`) cost up to n^(k+1) steps on n bytes, and a config
/// could otherwise hang the runner: string.find(("a"):rep(1e5), ".-.-b").
void GuardPatternFunctions(lua_State* L);

/// The number of repetition operators in a Lua pattern (outside sets and escapes).
int CountRepetitions(const char* pattern, size_t size);

}  // namespace stashform::dsl
