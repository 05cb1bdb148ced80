#pragma once
// LuaPattern matches names with Lua's own string.find, so that `match = "^tf%-"` in a config
// means exactly what it means in Lua. It runs in a private Lua state with only the string library.

#include <memory>
#include <string>

#include "base/status.h"

struct lua_State;

namespace stashform::bitbucket {

class LuaPattern {
 public:
  explicit LuaPattern(std::string pattern);
  ~LuaPattern();
  LuaPattern(const LuaPattern&) = delete;
  LuaPattern& operator=(const LuaPattern&) = delete;

  /// Whether string.find(text, pattern) finds it; a malformed pattern is an error naming it.
  Result<bool> Find(const std::string& text);

 private:
  std::string pattern_;
  lua_State* lua_ = nullptr;
};

}  // namespace stashform::bitbucket
