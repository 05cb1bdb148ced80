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

/// The lifecycle rules of a block that apply needs, carried by the change so that a saved plan is
/// applied without the config: they outlive the block in state and decide what its removal does.
struct LifecycleFlags {
  bool declared = false;          // a config block stands behind the change (else: a removed object)
  bool prevent_destroy = false;
  bool keep_on_removal = false;   // `destroy = false`: removing the block forgets the object
  std::vector<std::string> ignore_changes;
  bool operator==(const LifecycleFlags&) const = default;
};

/// ResourceChange is the engine's decision for one address, with the reasons it recorded; it holds
/// everything apply needs, so apply never reads the config.
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
  /// An object with this block's natural key exists and no state records it (a lost or second
  /// state): apply records it under `id` instead of creating another, then updates or replaces
  /// it as planned. The first reason says so.
  bool adopt = false;
  SourcePos pos;                     // the config block, when there is one
  /// The block's attributes as written, references unresolved: apply resolves them again once the
  /// resources they name exist, so "known after apply" values become known.
  Value::Map config_attributes;
  std::vector<ResourceAddress> dependencies;  // from the graph (config) or from state (deletes)
  LifecycleFlags lifecycle;
  /// The natural key as planned (values known only after apply are unknown here): what a create
  /// records as its intent, and what a crash recovery looks the object up by. Creates and
  /// replacements only; an update or delete has the id.
  Value::Map natural_key;
};

/// An output as declared: its expression, references unresolved, resolved against state after apply.
struct DeclaredOutput {
  std::string name;
  Value value;
  bool sensitive = false;
};

/// OutputChange is an output's value as state records it and as the apply will record it.
struct OutputChange {
  std::string name;
  Action action = Action::kNoOp;  // kCreate, kUpdate, kDelete or kNoOp
  Value before;                   // null when the state has none
  Value after;                    // unknown when only apply can tell; null when deleted
};

/// StateEdit is one edit of the state that a moved, import or removed block (or lifecycle
/// destroy = false) made before planning; apply of a saved plan replays it on the state it loads.
struct StateEdit {
  enum class Kind { kMove, kImport, kForget };
  Kind kind = Kind::kMove;
  ResourceAddress from;  // kMove: the old address; kForget: the address dropped
  ResourceAddress to;    // kMove: the new address; kImport: the address adopted into
  std::string server;    // kImport
  std::string id;        // kImport: the remote id
  bool operator==(const StateEdit&) const = default;
};

/// DriftEntry is a change made outside stashform, found by refresh.
struct DriftEntry {
  ResourceAddress address;
  bool deleted = false;
  std::vector<AttributeDiff> diffs;  // recorded (before) against found (after)
};

/// PendingNote is an object waiting on a person (ReadResponse::pending): a state, not a change.
struct PendingNote {
  ResourceAddress address;
  std::string note;  // "pending verification — an owner must connect at URL"
};

struct Plan {
  std::vector<ResourceChange> changes;  // in the order apply runs them; no-ops included
  std::vector<DriftEntry> drift;
  std::vector<OutputChange> output_changes;  // every output of config or state, by name
  Diagnostics diagnostics;
  bool refresh_only = false;  // only the state is brought up to date; nothing remote changes
  std::vector<std::string> state_notes;  // moves, imports and forgets that apply records
  /// Recorded objects that refresh found gone and whose block is gone too: apply drops the records.
  std::vector<ResourceAddress> forgotten;
  std::vector<DeclaredOutput> outputs;  // what apply records as outputs once it is done
  std::vector<StateEdit> state_edits;   // made on the state before planning, replayed by a saved plan
  /// Objects the config keeps that wait on a person; shown, never counted as changes.
  std::vector<PendingNote> pending;

  int ToAdd() const;
  int ToChange() const;
  int ToDestroy() const;
  int ToAdopt() const;  // existing objects apply records instead of creating them
  bool HasChanges() const {
    return ToAdd() + ToChange() + ToDestroy() + ToAdopt() > 0 || !state_notes.empty() || OutputsChange();
  }
  bool OutputsChange() const;
};

/// The reason of a replacement that create_before_destroy asked for but that must go delete-first;
/// the old id follows in quotes.
inline constexpr const char* kDeleteFirstReason = "replaced delete-first: the new object has the same id";

/// The reason of a replacement that -replace asked for (Terraform's replace_by_request).
inline constexpr const char* kReplaceRequestedReason = "replacement requested with -replace";

/// The first words of an adoption's reason: "adopted: an object with the same name exists (id 42)".
inline constexpr const char* kAdoptedReason = "adopted: ";

/// What the command line narrows or forces.
struct PlanOptions {
  bool refresh_only = false;                // -refresh-only
  std::vector<ResourceAddress> targets;     // -target: these and what they depend on
  std::vector<ResourceAddress> excludes;    // -exclude: not these, nor what depends on them
  std::vector<ResourceAddress> replace;     // -replace: replace even if nothing changed
};

}  // namespace stashform::engine
