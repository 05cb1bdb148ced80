#pragma once
// Template part of lua_errors.h.

#include <exception>

namespace stashform::dsl::detail {

// Storage for a pending error that outlives the C++ frames which produced it. Single-threaded per
// state; one slot per thread is enough because an error is raised right after it is stored.
std::string& PendingError();
int RaisePending(lua_State* L);

}  // namespace stashform::dsl::detail

namespace stashform::dsl {

template <typename Body>
int GuardedCall(lua_State* L, Body&& body) {
  int results = 0;
  bool failed = false;
  {
    std::string error;
    try {
      results = body(error);
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "internal error";
    }
    if (!error.empty()) {
      detail::PendingError() = std::move(error);
      failed = true;
    }
  }  // every C++ object of this call is gone before Lua may longjmp
  return failed ? detail::RaisePending(L) : results;
}

}  // namespace stashform::dsl
