#include "dsl/lua_values.h"

#include <lua.hpp>

#include <cctype>

#include "dsl/sandbox_libraries.h"

namespace stashform::dsl {

namespace {

// Registry keys: addresses of these objects, so looking them up neither allocates nor collides.
const char kHandleMetatable = 0;
const char kSecretMetatable = 0;
const char kUnknownMetatable = 0;
const char kReferenceMetatable = 0;
const char kJoinMetatable = 0;

struct ReferenceData {
  bool sensitive = false;
};

// Deeper tables are almost surely cyclic; the limit also bounds the C stack.
constexpr int kMaxDepth = 64;

bool HasMetatable(lua_State* L, int index, const void* key) {
  if (lua_type(L, index) != LUA_TUSERDATA || !lua_getmetatable(L, index)) return false;
  lua_rawgetp(L, LUA_REGISTRYINDEX, key);
  const bool same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same;
}

bool IsIdentifier(const std::string& key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
  for (char c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

std::string FieldPath(const std::string& path, const std::string& key) {
  if (IsIdentifier(key)) return path.empty() ? key : path + "." + key;
  return path + "[\"" + key + "\"]";
}

}  // namespace

void CreateObjectMetatables(lua_State* L) {
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kHandleMetatable);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kSecretMetatable);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kUnknownMetatable);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kReferenceMetatable);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kJoinMetatable);
}

void PushHandleMetatable(lua_State* L) { lua_rawgetp(L, LUA_REGISTRYINDEX, &kHandleMetatable); }
void PushSecretMetatable(lua_State* L) { lua_rawgetp(L, LUA_REGISTRYINDEX, &kSecretMetatable); }

void PushUnknownMetatable(lua_State* L) { lua_rawgetp(L, LUA_REGISTRYINDEX, &kUnknownMetatable); }

void PushReferenceMetatable(lua_State* L) { lua_rawgetp(L, LUA_REGISTRYINDEX, &kReferenceMetatable); }
void PushJoinMetatable(lua_State* L) { lua_rawgetp(L, LUA_REGISTRYINDEX, &kJoinMetatable); }

void PushReference(lua_State* L, const std::string& address, const std::string& attribute, bool sensitive) {
  auto* data = static_cast<ReferenceData*>(lua_newuserdatauv(L, sizeof(ReferenceData), 2));
  data->sensitive = sensitive;
  lua_pushlstring(L, address.data(), address.size());
  lua_setiuservalue(L, -2, 1);
  lua_pushlstring(L, attribute.data(), attribute.size());
  lua_setiuservalue(L, -2, 2);
  PushReferenceMetatable(L);
  lua_setmetatable(L, -2);
}

bool IsReference(lua_State* L, int index) { return HasMetatable(L, index, &kReferenceMetatable); }
bool IsJoin(lua_State* L, int index) { return HasMetatable(L, index, &kJoinMetatable); }

namespace {

// Appends the parts of a concatenation operand to the table at `parts` (which has `*count`).
void AppendParts(lua_State* L, int operand, int parts, lua_Integer* count) {
  if (IsJoin(L, operand)) {
    lua_getiuservalue(L, operand, 1);
    const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, -1));
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_rawgeti(L, -1, i);
      lua_rawseti(L, parts, ++*count);
    }
    lua_pop(L, 1);
    return;
  }
  if (IsSecret(L, operand)) {
    lua_getiuservalue(L, operand, 1);
    if (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TNUMBER)
      luaL_error(L, "attempt to concatenate a %s value", luaL_typename(L, -1));
    luaL_tolstring(L, -1, nullptr);  // numbers join as Lua prints them
    PushSecret(L, -1);
    lua_rawseti(L, parts, ++*count);
    lua_pop(L, 2);
    return;
  }
  if (IsReference(L, operand) || lua_type(L, operand) == LUA_TSTRING) {
    lua_pushvalue(L, operand);
  } else if (lua_type(L, operand) == LUA_TNUMBER) {
    luaL_tolstring(L, operand, nullptr);
  } else {
    luaL_error(L, "attempt to concatenate a %s value", luaL_typename(L, operand));
  }
  lua_rawseti(L, parts, ++*count);
}

// a .. b where both are plain strings/numbers or secrets: a secret string.
int ConcatSecrets(lua_State* L) {
  for (int operand = 1; operand <= 2; ++operand) {
    if (IsSecret(L, operand))
      lua_getiuservalue(L, operand, 1);
    else
      lua_pushvalue(L, operand);
    if (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TNUMBER)
      luaL_error(L, "attempt to concatenate a %s value", luaL_typename(L, -1));
  }
  lua_concat(L, 2);
  PushSecret(L, -1);
  return 1;
}

}  // namespace

int ConcatObjects(lua_State* L) {
  if (IsUnknown(L, 1) || IsUnknown(L, 2)) {
    PushUnknown(L);
    return 1;
  }
  const bool joins = IsReference(L, 1) || IsReference(L, 2) || IsJoin(L, 1) || IsJoin(L, 2);
  if (!joins) return ConcatSecrets(L);
  lua_settop(L, 2);
  lua_newtable(L);
  lua_Integer count = 0;
  AppendParts(L, 1, 3, &count);
  AppendParts(L, 2, 3, &count);
  lua_newuserdatauv(L, 0, 1);
  lua_pushvalue(L, 3);
  lua_setiuservalue(L, -2, 1);
  PushJoinMetatable(L);
  lua_setmetatable(L, -2);
  return 1;
}

void PushUnknown(lua_State* L) {
  lua_newuserdatauv(L, 0, 0);
  PushUnknownMetatable(L);
  lua_setmetatable(L, -2);
}

bool IsUnknown(lua_State* L, int index) { return HasMetatable(L, index, &kUnknownMetatable); }

void PushValue(lua_State* L, const Value& value) {
  luaL_checkstack(L, 4, "value nested too deeply");
  switch (value.kind()) {
    case Value::Kind::kNull: lua_pushnil(L); break;
    case Value::Kind::kBool: lua_pushboolean(L, value.as_bool()); break;
    case Value::Kind::kInt: lua_pushinteger(L, value.as_int()); break;
    case Value::Kind::kNumber: lua_pushnumber(L, value.as_number()); break;
    case Value::Kind::kString: lua_pushlstring(L, value.as_string().data(), value.as_string().size()); break;
    case Value::Kind::kUnknown: PushUnknown(L); break;
    case Value::Kind::kList:
      lua_createtable(L, static_cast<int>(value.as_list().size()), 0);
      for (size_t i = 0; i < value.as_list().size(); ++i) {
        PushValue(L, value.as_list()[i]);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
      }
      break;
    case Value::Kind::kMap:
      lua_createtable(L, 0, static_cast<int>(value.as_map().size()));
      for (const auto& [key, item] : value.as_map()) {
        PushValue(L, item);
        lua_setfield(L, -2, key.c_str());
      }
      break;
    default: PushUnknown(L); break;  // a reference: known to the engine, not to the script
  }
  if (value.sensitive()) {
    PushSecret(L, -1);
    lua_remove(L, -2);
  }
}

void PushHandle(lua_State* L, HandleData handle) {
  auto* data = static_cast<HandleData*>(lua_newuserdatauv(L, sizeof(HandleData), 0));
  *data = handle;
  PushHandleMetatable(L);
  lua_setmetatable(L, -2);
}

void PushSecret(lua_State* L, int index) {
  index = lua_absindex(L, index);
  if (IsSecret(L, index)) {
    lua_pushvalue(L, index);
    return;
  }
  lua_newuserdatauv(L, 0, 1);
  lua_pushvalue(L, index);
  lua_setiuservalue(L, -2, 1);
  PushSecretMetatable(L);
  lua_setmetatable(L, -2);
}

const HandleData* ToHandle(lua_State* L, int index) {
  if (!HasMetatable(L, index, &kHandleMetatable)) return nullptr;
  return static_cast<const HandleData*>(lua_touserdata(L, index));
}

bool IsSecret(lua_State* L, int index) { return HasMetatable(L, index, &kSecretMetatable); }

std::string LuaTypeName(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNull: return "nil";
    case Value::Kind::kBool: return "boolean";
    case Value::Kind::kInt:
    case Value::Kind::kNumber: return "number";
    case Value::Kind::kString: return "string";
    case Value::Kind::kList:
    case Value::Kind::kMap: return "table";
    case Value::Kind::kUnknown: return "unknown value";
    default: return "reference";  // kinds the engine resolves later (references, joins)
  }
}

bool ValueReader::Read(int index, const std::string& path, Value* out) {
  error_.clear();
  return ReadAny(lua_absindex(L_, index), path, 0, out);
}

bool ValueReader::Fail(const std::string& path, const std::string& message) {
  error_ = path.empty() ? message : path + ": " + message;
  return false;
}

bool ValueReader::ReadAny(int index, const std::string& path, int depth, Value* out) {
  switch (lua_type(L_, index)) {
    case LUA_TNIL: *out = Value(); return true;
    case LUA_TBOOLEAN: *out = Value(lua_toboolean(L_, index) != 0); return true;
    case LUA_TNUMBER:
      *out = lua_isinteger(L_, index) ? Value(static_cast<int64_t>(lua_tointeger(L_, index)))
                                      : Value(static_cast<double>(lua_tonumber(L_, index)));
      return true;
    case LUA_TSTRING: {
      size_t size = 0;
      const char* text = lua_tolstring(L_, index, &size);  // a string already: no conversion
      *out = Value(std::string(text, size));
      return true;
    }
    case LUA_TTABLE: return ReadTable(index, path, depth, out);
    case LUA_TUSERDATA:
      if (IsSecret(L_, index)) {
        lua_getiuservalue(L_, index, 1);
        const bool ok = ReadAny(lua_gettop(L_), path, depth + 1, out);
        lua_pop(L_, 1);
        if (ok) out->MarkSensitive();
        return ok;
      }
      if (IsUnknown(L_, index)) {
        *out = Value::UnknownValue();
        return true;
      }
      if (IsReference(L_, index)) return ReadReference(index, out);
      if (IsJoin(L_, index)) return ReadJoin(index, path, depth, out);
      if (const HandleData* handle = ToHandle(L_, index)) {
        std::string message = "a handle cannot be used as a value here";
        if (handles_ && handles_(*handle, out, &message)) return true;
        return Fail(path, message);
      }
      break;
    default: break;
  }
  return Fail(path, std::string("unsupported value of type ") + luaL_typename(L_, index));
}

bool ValueReader::ReadReference(int index, Value* out) {
  lua_getiuservalue(L_, index, 1);
  lua_getiuservalue(L_, index, 2);
  *out = Value::Ref(lua_tostring(L_, -2), lua_tostring(L_, -1));
  lua_pop(L_, 2);
  if (static_cast<const ReferenceData*>(lua_touserdata(L_, index))->sensitive) out->MarkSensitive();
  return true;
}

bool ValueReader::ReadJoin(int index, const std::string& path, int depth, Value* out) {
  lua_getiuservalue(L_, index, 1);
  Value parts;
  const bool ok = ReadTable(lua_gettop(L_), path, depth + 1, &parts);
  lua_pop(L_, 1);
  if (!ok) return false;
  *out = Value::Join(std::move(parts.as_list()));
  return true;
}

bool ValueReader::ReadTable(int index, const std::string& path, int depth, Value* out) {
  if (depth > kMaxDepth || !lua_checkstack(L_, 4))  // name the attribute, not a path 64 levels deep
    return Fail(path.substr(0, path.find_first_of("[.")), "table nested too deeply (is it cyclic?)");
  if (PushViewTarget(L_, index)) {  // a module's table, say: read what the view shows
    const bool ok = ReadTable(lua_gettop(L_), path, depth + 1, out);
    lua_pop(L_, 1);
    return ok;
  }
  const lua_Unsigned length = lua_rawlen(L_, index);
  Value::List list;
  Value::Map map;
  lua_Unsigned count = 0;
  bool string_keys = false;
  lua_pushnil(L_);
  while (lua_next(L_, index)) {
    ++count;
    Value item;
    if (lua_type(L_, -2) == LUA_TSTRING) {
      string_keys = true;
      const std::string key = lua_tostring(L_, -2);
      if (!ReadAny(lua_gettop(L_), FieldPath(path, key), depth + 1, &item)) return lua_pop(L_, 2), false;
      map.emplace(key, std::move(item));
    } else if (!lua_isinteger(L_, -2)) {
      lua_pop(L_, 2);
      return Fail(path, "table keys must be strings or list positions");
    }
    lua_pop(L_, 1);
  }
  if (string_keys && count != map.size())
    return Fail(path, "a table mixes named keys and list items");
  if (string_keys) {
    *out = Value(std::move(map));
    return true;
  }
  if (count != length) return Fail(path, "a list has holes (nil items or keys other than 1..n)");
  list.resize(length);
  for (lua_Unsigned i = 1; i <= length; ++i) {
    lua_rawgeti(L_, index, static_cast<lua_Integer>(i));
    const bool ok = ReadAny(lua_gettop(L_), path + "[" + std::to_string(i) + "]", depth + 1, &list[i - 1]);
    lua_pop(L_, 1);
    if (!ok) return false;
  }
  *out = Value(std::move(list));
  return true;
}

}  // namespace stashform::dsl
