#include "dsl/lua_errors.h"

#include <lua.hpp>

#include <cctype>

namespace stashform::dsl {

namespace {

// Splits `file:line: rest`; false when the message has no such prefix.
bool SplitPosition(std::string_view message, std::string_view* file, int* line, std::string_view* rest) {
  for (size_t colon = message.find(':'); colon != std::string_view::npos;
       colon = message.find(':', colon + 1)) {
    size_t digits_end = colon + 1;
    while (digits_end < message.size() && std::isdigit(static_cast<unsigned char>(message[digits_end])))
      ++digits_end;
    if (digits_end == colon + 1 || message.substr(digits_end, 2) != ": ") continue;
    if (file) *file = message.substr(0, colon);
    if (line) *line = std::stoi(std::string(message.substr(colon + 1, digits_end - colon - 1)));
    if (rest) *rest = message.substr(digits_end + 2);
    return colon > 0;
  }
  return false;
}

std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

}  // namespace

bool HasPosition(std::string_view message) { return SplitPosition(message, nullptr, nullptr, nullptr); }

Diagnostic DiagnosticFromLuaMessage(const std::string& message, const std::string& file) {
  Diagnostic d;
  std::string_view where, rest;
  int line = 0;
  if (SplitPosition(message, &where, &line, &rest)) {
    d.pos = {std::string(where), line};
    d.message = OneLine(rest);
  } else {
    d.pos = {file, 0};
    d.message = OneLine(message);
  }
  return d;
}

namespace detail {

std::string& PendingError() {
  thread_local std::string pending;
  return pending;
}

int RaisePending(lua_State* L) {
  luaL_where(L, 1);
  lua_pushlstring(L, PendingError().data(), PendingError().size());
  PendingError().clear();  // the text now lives in Lua; clear() frees nothing and cannot throw
  lua_concat(L, 2);
  return lua_error(L);
}

}  // namespace detail

}  // namespace stashform::dsl
