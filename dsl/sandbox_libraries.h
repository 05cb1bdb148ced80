#pragma once
// The libraries a sandboxed script gets: Lua's own, minus what reaches outside the state, with
// safe versions of the base functions that could break the sandbox's limits.

struct lua_State;

namespace stashform::dsl {

/// Opens base, string, table, math, utf8 and part of os into the globals of `L`, and replaces or
/// removes what could read files, run programs, load bytecode, inspect the state or run code where
/// the limits cannot reach it. A lua_CFunction: call it protected, as it allocates.
int OpenSafeLibraries(lua_State* L);

/// Pushes a read-only view of the table at `table`: reads, pairs, next and # see the table; writes
/// and rawset fail with `NAME is read-only in the sandbox (PATH.key), ...` (the path is NAME when
/// null); getmetatable sees false.
/// The view is what scripts get for what every file of an evaluation shares (the libraries, the
/// namespaces of types), so that one file cannot change what another computes.
void PushReadOnlyView(lua_State* L, int table, const char* name, const char* path = nullptr);

/// Pushes the read-only view of the module table at `table` that every importer of `module` gets:
/// reads, pairs, next, ipairs and # see the table, and a nested table read through it is itself a
/// view (the same one each time); writes at any depth and rawset fail with
/// `module "NAME" is read-only in the sandbox (NAME.key[1]), ...`. The module's own code keeps the
/// table itself, so it can still change its own state. A view is returned as it is.
void PushModuleView(lua_State* L, int table, const char* module);

/// When the value at `index` is a read-only view, pushes the table behind it and returns true;
/// otherwise pushes nothing. It neither calls metamethods nor allocates, so C++ code that reads
/// values (ValueReader) can look behind a view without a Lua error unwinding its frames.
bool PushViewTarget(lua_State* L, int index);

}  // namespace stashform::dsl
