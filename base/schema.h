#pragma once
// Schemas describe resource types and server blocks; the DSL, the engine and the renderers all
// learn attribute names, types and flags from them, and hard-code none.

#include <functional>
#include <string>
#include <vector>

#include "base/value.h"

namespace stashform {

enum class AttrType { kString, kBool, kInt, kStringList, kStringSet, kStringMap };

std::string AttrTypeName(AttrType type);  // "string", "list of strings", ...

enum class AttrMode {
  kRequired,          // the config must set it
  kOptional,          // the config may set it; unset means the default (or null)
  kComputed,          // only the remote side sets it
  kOptionalComputed,  // the config may set it; otherwise the remote side chooses
};

/// AttributeSchema is one attribute of a resource type or server block.
struct AttributeSchema {
  std::string name;
  AttrType type = AttrType::kString;
  AttrMode mode = AttrMode::kOptional;
  bool force_new = false;   // a change replaces the remote object
  bool sensitive = false;   // masked in every output
  bool write_only = false;  // never read back; state keeps only its digest
  /// Only the create answer carries it (a token's value): kept in private data, never read back.
  /// An object adopted by natural key after that answer was lost lacks it for good, so the engine
  /// plans its replacement.
  bool create_answer_only = false;
  /// Who holds a create_answer_only value besides stashform, i.e. what replacing the object
  /// breaks: "the application that signs its requests with this private key". Said when an
  /// object adopted by natural key lacks the value.
  std::string held_by;
  Value default_value;      // used when optional and unset (null means none)
  std::vector<std::string> allowed;  // allowed values of a string, or of each item of a list/set
  /// Extra check of a set value; returns "" or a message such as `expected an http(s) URL`.
  std::function<std::string(const Value&)> check;
  std::string description;

  bool settable() const { return mode != AttrMode::kComputed; }
  bool is_collection() const { return type == AttrType::kStringList || type == AttrType::kStringSet; }
};

/// An attribute with the given name, type and mode; flags are set on the result.
AttributeSchema MakeAttribute(std::string name, AttrType type, AttrMode mode, std::string description = "");

/// ResourceSchema is the schema of one resource type (`bitbucket.webhook`) or server block
/// (`bitbucket.server`).
struct ResourceSchema {
  std::string type;          // "bitbucket.webhook"
  std::string server_type;   // "bitbucket.server" for resources bound to a server; "" otherwise
  bool is_server = false;    // true for the server block itself
  bool is_data_source = false;  // read at evaluation time (`bitbucket.repositories { ... }`)
  std::vector<AttributeSchema> attributes;
  std::vector<std::string> natural_key;  // attributes that identify the remote object
  /// Attributes the remote id derives from: a new object with the same values gets the old
  /// object's id (Spacelift slugs an integration's name), so it cannot exist beside the old one.
  std::vector<std::string> identity;
  /// False for a type that only binds an object made elsewhere (a stack binding): when that
  /// object is gone, apply cannot make it again, so the plan forgets the record instead.
  bool recreatable = true;
  /// False for a type whose object is no use without a value only its create answers (a
  /// token): an existing object with the natural key is never adopted silently; the plan stops
  /// and names the ways out (import it, or `on_conflict = "replace"`).
  bool adoptable = true;
  std::string description;

  const AttributeSchema* Find(const std::string& name) const;
  std::vector<std::string> AttributeNames() const;
};

}  // namespace stashform

namespace stashform {

/// Whether a desired value (from config) equals a recorded one (from state or the remote side)
/// under the attribute's rules: sets ignore order, write-only values compare by digest, and
/// "known after apply" is never equal to anything.
bool AttributeValuesEqual(const AttributeSchema& attr, const Value& desired, const Value& recorded);

/// The value as the state keeps it: write-only values become their digest, marked sensitive.
Value ValueForState(const AttributeSchema& attr, const Value& value);

}  // namespace stashform
