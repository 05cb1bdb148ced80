#include "modules/bitbucket/lua_pattern.h"

#include <lua.hpp>

namespace stashform::bitbucket {

LuaPattern::LuaPattern(std::string pattern) : pattern_(std::move(pattern)), lua_(luaL_newstate()) {
  if (!lua_) return;
  luaL_requiref(lua_, LUA_STRLIBNAME, luaopen_string, 1);
  lua_pop(lua_, 1);
}

LuaPattern::~LuaPattern() {
  if (lua_) lua_close(lua_);
}

Result<bool> LuaPattern::Find(const std::string& text) {
  if (!lua_) return Status::Error("match: could not start Lua");
  lua_getglobal(lua_, LUA_STRLIBNAME);
  lua_getfield(lua_, -1, "find");
  lua_remove(lua_, -2);
  lua_pushlstring(lua_, text.data(), text.size());
  lua_pushlstring(lua_, pattern_.data(), pattern_.size());
  if (lua_pcall(lua_, 2, 1, 0) != LUA_OK) {
    std::string message = lua_isstring(lua_, -1) ? lua_tostring(lua_, -1) : "error";
    lua_pop(lua_, 1);
    return Status::Error("match \"" + pattern_ + "\": " + message);
  }
  bool found = !lua_isnil(lua_, -1);
  lua_pop(lua_, 1);
  return found;
}

}  // namespace stashform::bitbucket
