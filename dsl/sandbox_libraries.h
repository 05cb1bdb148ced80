#pragma once
// The libraries a sandboxed script gets: Lua's own, minus what reaches outside the state, with
// safe versions of the base functions that could break the sandbox's limits.

struct lua_State;

namespace stashform::dsl {

/// Opens base, string, table, math, utf8 and part of os into the globals of `L`, and replaces or
/// removes what could read files, run programs, load bytecode, inspect the state or run code where
/// the limits cannot reach it. A lua_CFunction: call it protected, as it allocates.
int OpenSafeLibraries(lua_State* L);

/// Pushes a read-only view of the table at `table`: reads, pairs and # see the table; writes and
/// rawset fail with `NAME is read-only in the sandbox (PREFIXkey), ...` (the prefix is `NAME.`
/// when null); getmetatable sees false.
/// The view is what scripts get for what every file of an evaluation shares (the libraries, the
/// namespaces of types), so that one file cannot change what another computes.
void PushReadOnlyView(lua_State* L, int table, const char* name, const char* field_prefix = nullptr);

}  // namespace stashform::dsl
