#pragma once
// Turning Lua error messages into diagnostics, and raising errors from C++ without unwinding
// C++ frames through Lua's longjmp.

#include <string>
#include <string_view>

#include "base/diagnostics.h"

struct lua_State;

namespace stashform::dsl {

/// True when a message starts with `file:line: `, as Lua's positioned errors do.
bool HasPosition(std::string_view message);

/// `main.lua:3: syntax error near 'x'` → a diagnostic at main.lua:3 with the rest as message,
/// kept on one line. Without a position, the diagnostic names `file`.
Diagnostic DiagnosticFromLuaMessage(const std::string& message, const std::string& file);

/// Lua's errors are longjmps that would skip C++ destructors; every C function of the DSL runs its
/// C++ part through GuardedCall.
/// Runs `body` (which may use C++ freely and may throw) and returns its result count; a thrown
/// exception or a non-empty `error` is raised as a Lua error only after every C++ frame of `body`
/// has returned. `body` must not itself raise Lua errors while C++ objects are alive.
template <typename Body>
int GuardedCall(lua_State* L, Body&& body);

}  // namespace stashform::dsl

#include "dsl/lua_errors_inl.h"
