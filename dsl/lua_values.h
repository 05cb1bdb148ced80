#pragma once
// The DSL's own Lua objects (handles of declared blocks, sensitive values) and the reading of
// Lua values into plain Values.

#include <cstdint>
#include <functional>
#include <string>

#include "base/value.h"

struct lua_State;

namespace stashform::dsl {

/// What a handle userdata holds: which declared block it stands for.
struct HandleData {
  bool is_server = false;
  uint32_t index = 0;  // into Config::servers or Config::resources
};

/// Creates the metatables of handles and secrets; the caller then adds behaviour to them.
void CreateObjectMetatables(lua_State* L);
/// Pushes the metatable of handles, secrets or unknown values.
void PushHandleMetatable(lua_State* L);
void PushSecretMetatable(lua_State* L);
void PushUnknownMetatable(lua_State* L);
void PushReferenceMetatable(lua_State* L);
void PushJoinMetatable(lua_State* L);

void PushHandle(lua_State* L, HandleData handle);
/// Wraps the value at `index` in a secret; a secret is returned as it is.
void PushSecret(lua_State* L, int index);
/// A value known only later (a data source in validate mode, a variable without a value).
void PushUnknown(lua_State* L);
bool IsUnknown(lua_State* L, int index);
/// Pushes a Value as Lua data: sensitive parts become secrets, unknown parts unknown values.
/// May raise a Lua memory error: call it with no C++ object alive but `value`'s owner.
void PushValue(lua_State* L, const Value& value);
/// `handle.attribute` of a resource: a reference resolved by the engine. The address is kept
/// printed; a reference to a sensitive attribute is sensitive.
void PushReference(lua_State* L, const std::string& address, const std::string& attribute, bool sensitive);
bool IsReference(lua_State* L, int index);
/// `a .. b` where a part is a reference: the parts (strings, secrets, references) in order.
bool IsJoin(lua_State* L, int index);
/// The concatenation of the two operands at 1 and 2 of a __concat metamethod: unknown if either
/// is, a join if either holds a reference, else a secret (one of them is).
int ConcatObjects(lua_State* L);
/// The handle at `index`, or null when the value is not a handle.
const HandleData* ToHandle(lua_State* L, int index);
bool IsSecret(lua_State* L, int index);

/// The Lua type name of a Value as a user would call it: "string", "number", "boolean", "table".
std::string LuaTypeName(const Value& value);

/// ValueReader turns a Lua value into a Value. It only uses raw accesses, which neither call
/// metamethods nor allocate in Lua, so no Lua error can unwind its C++ frames; a read-only view
/// (of a module's table, say) is read through to the table it shows.
class ValueReader {
 public:
  /// Decides what a handle found inside a value means; by default it is an error.
  using HandleReader = std::function<bool(const HandleData&, Value* out, std::string* error)>;

  explicit ValueReader(lua_State* L, HandleReader handles = nullptr) : L_(L), handles_(std::move(handles)) {}

  /// Reads the value at `index`; on failure `error()` says `events[3]: ...`.
  bool Read(int index, const std::string& path, Value* out);
  const std::string& error() const { return error_; }

 private:
  bool ReadTable(int index, const std::string& path, int depth, Value* out);
  bool ReadAny(int index, const std::string& path, int depth, Value* out);
  bool ReadReference(int index, Value* out);
  bool ReadJoin(int index, const std::string& path, int depth, Value* out);
  bool Fail(const std::string& path, const std::string& message);

  lua_State* L_;
  HandleReader handles_;
  std::string error_;
};

}  // namespace stashform::dsl
