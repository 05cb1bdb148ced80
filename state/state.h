#pragma once
// The state model: what stashform knows of the remote world, and its JSON codec.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/address.h"
#include "base/status.h"
#include "base/value.h"

namespace stashform::state {

/// ResourceState is one managed remote object as last seen.
struct ResourceState {
  ResourceAddress address;
  std::string server;      // server block name, e.g. "corp"
  std::string id;          // remote id
  Value::Map attributes;   // sensitive ones carry the mark (restored from sensitive paths on load)
  Value::Map private_data; // sensitive values only a create answer carried (token values)
  std::vector<std::string> dependencies;  // addresses
  bool prevent_destroy = false;           // outlives the config block
  bool keep_on_removal = false;           // lifecycle.destroy = false: a removed block forgets it
  /// Adopted by natural key after its create's answer was lost: values only that answer carried
  /// (a token's value) are missing for good, and the plan replaces the object.
  bool create_answer_lost = false;
};

/// Intent is a create that was about to be sent: a run that finds one adopts the object by its
/// natural key, or drops the intent when nothing exists.
struct Intent {
  ResourceAddress address;
  std::string server;
  Value::Map natural_key;
  int64_t created_at_ms = 0;
};

struct State;

/// StateChange is one edit a run makes as it goes: small enough to journal after each remote
/// write instead of rewriting the whole state (see state/journal.h).
struct StateChange {
  enum class Kind { kUpsert, kRemove, kAddIntent, kRemoveIntent };
  Kind kind = Kind::kUpsert;
  ResourceState resource;   // kUpsert
  Intent intent;            // kAddIntent
  ResourceAddress address;  // kRemove, kRemoveIntent

  static StateChange Upsert(ResourceState resource);
  static StateChange Remove(ResourceAddress address);
  static StateChange AddIntent(Intent intent);
  static StateChange RemoveIntent(ResourceAddress address);
};

struct State {
  static constexpr const char* kFormatName = "stashform-state";
  static constexpr int kFormatVersion = 1;

  std::string lineage;  // UUID fixed at creation
  uint64_t serial = 0;  // bumped by the store whenever the content changes
  std::string tool_version;
  std::vector<ResourceState> resources;  // kept sorted by address
  Value::Map outputs;
  std::vector<Intent> intents;

  static State New(std::string tool_version);  // fresh lineage, serial 0
  const ResourceState* Find(const ResourceAddress& address) const;
  ResourceState* Find(const ResourceAddress& address);
  void Upsert(ResourceState resource);
  bool Remove(const ResourceAddress& address);
  void AddIntent(Intent intent);
  void RemoveIntent(const ResourceAddress& address);
  /// Makes `change`, as the run that journaled it did.
  void Apply(const StateChange& change);
  /// Equality of everything but serial and tool version: whether a save would change anything.
  bool SameContent(const State& other) const;
};

/// JSON text of the state (pretty, stable key order), sensitive attributes listed by path.
std::string EncodeState(const State& state);
/// Parses state JSON; errors name the file and the position: `state.json:3:14: expected ','`.
Result<State> DecodeState(std::string_view text, const std::string& file_name);

/// JSON text of one journal record: the serial the state has once `changes` are made, and them.
std::string EncodeChanges(uint64_t serial, const std::vector<StateChange>& changes);
struct DecodedChanges {
  uint64_t serial = 0;
  std::vector<StateChange> changes;
};
/// Parses a journal record; errors name `where` (the journal file and record number).
Result<DecodedChanges> DecodeChanges(std::string_view text, const std::string& where);

std::string NewUuid();

}  // namespace stashform::state
