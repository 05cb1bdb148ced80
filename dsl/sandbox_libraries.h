#pragma once
// The libraries a sandboxed script gets: Lua's own, minus what reaches outside the state, with
// safe versions of the base functions that could break the sandbox's limits.

struct lua_State;

namespace stashform::dsl {

/// Opens base, string, table, math, utf8 and part of os into the globals of `L`, and replaces or
/// removes what could read files, run programs, load bytecode, inspect the state or run code where
/// the limits cannot reach it. A lua_CFunction: call it protected, as it allocates.
int OpenSafeLibraries(lua_State* L);

}  // namespace stashform::dsl
