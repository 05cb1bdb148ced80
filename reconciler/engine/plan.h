#pragma once
// Plan is what stashform intends to do and why; it is data, rendered by reconciler/render and
// carried out by the applier.

#include <string>
#include <vector>

#include "base/address.h"
#include "base/diagnostics.h"
#include "base/value.h"

namespace stashform::engine {

enum class Action { kNoOp, kCreate, kUpdate, kReplace, kDelete };
std::string ActionVerb(Action action);  // "created", "updated in-place", "replaced", "destroyed"

/// One attribute that differs between the object as it is and as it will be.
struct AttributeDiff {
  std::string name;
  Value before;  // null when absent
  Value after;   // unknown when only apply can tell
  bool forces_replacement = false;
};

/// ResourceChange is the engine's decision for one address, with the reasons it recorded.
struct ResourceChange {
  ResourceAddress address;
  std::string server;
  Action action = Action::kNoOp;
  std::vector<std::string> reasons;  // "events: changed outside stashform", "remote object deleted"
  std::string id;                    // remote id for update, replace and delete
  Value::Map before;                 // refreshed attributes (empty for create)
  Value::Map after;                  // planned attributes (empty for delete); secrets in the clear
  std::vector<AttributeDiff> diffs;  // what changes, in schema order
  bool create_before_destroy = false;
  /// An update written even when apply finds the values equal: an object it refers to is
  /// re-created, and the server may have reset this one meanwhile.
  bool write_always = false;
  /// State only: the record goes and nothing remote is written (the object is gone and this
  /// type cannot make it again).
  bool forget = false;
  SourcePos pos;                     // the config block, when there is one
  /// The block's attributes as written, references unresolved: apply resolves them again once the
  /// resources they name exist, so "known after apply" values become known.
  Value::Map config_attributes;
  std::vector<ResourceAddress> dependencies;  // from the graph (config) or from state (deletes)
};

/// OutputChange is an output's value as state records it and as the apply will record it.
struct OutputChange {
  std::string name;
  Action action = Action::kNoOp;  // kCreate, kUpdate, kDelete or kNoOp
  Value before;                   // null when the state has none
  Value after;                    // unknown when only apply can tell; null when deleted
};

/// DriftEntry is a change made outside stashform, found by refresh.
struct DriftEntry {
  ResourceAddress address;
  bool deleted = false;
  std::vector<AttributeDiff> diffs;  // recorded (before) against found (after)
};

struct Plan {
  std::vector<ResourceChange> changes;  // in the order apply runs them; no-ops included
  std::vector<DriftEntry> drift;
  std::vector<OutputChange> output_changes;  // every output of config or state, by name
  Diagnostics diagnostics;
  bool refresh_only = false;  // only the state is brought up to date; nothing remote changes
  std::vector<std::string> state_notes;  // moves, imports and forgets that apply records

  int ToAdd() const;
  int ToChange() const;
  int ToDestroy() const;
  bool HasChanges() const {
    return ToAdd() + ToChange() + ToDestroy() > 0 || !state_notes.empty() || OutputsChange();
  }
  bool OutputsChange() const;
};

/// The reason of a replacement that create_before_destroy asked for but that must go delete-first;
/// the old id follows in quotes.
inline constexpr const char* kDeleteFirstReason = "replaced delete-first: the new object has the same id";

/// What the command line narrows or forces.
struct PlanOptions {
  bool refresh_only = false;                // -refresh-only
  std::vector<ResourceAddress> targets;     // -target: these and what they depend on
  std::vector<ResourceAddress> excludes;    // -exclude: not these, nor what depends on them
  std::vector<ResourceAddress> replace;     // -replace: replace even if nothing changed
};

}  // namespace stashform::engine
