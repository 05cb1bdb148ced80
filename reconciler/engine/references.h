#pragma once
// Resolving references: a block's attributes with every Value::Ref replaced by the value it names,
// or by "known after apply" while that value is not known yet.

#include <functional>
#include <optional>

#include "base/value.h"
#include "state/state.h"

namespace stashform::engine {

/// Looks up `attribute` of the resource printed as `address`; nothing when it has no such value
/// (then the reference resolves to null), Value::UnknownValue() when only apply can tell.
using ReferenceLookup = std::function<std::optional<Value>(const std::string& address, const std::string& attribute)>;

/// `attribute` of an object as state records it: an attribute, or a private value only its create
/// answer carried (a token), marked sensitive; nothing when it has neither.
std::optional<Value> RecordedValue(const state::ResourceState& resource, const std::string& attribute);

/// Looks references up in what `state` records (RecordedValue); an object the state does not hold
/// resolves to `absent`: nothing (null), or "known after apply" where it may still be made.
/// `state` must outlive the lookup.
ReferenceLookup RecordedLookup(const state::State& state, std::optional<Value> absent = std::nullopt);

Value Resolve(const Value& value, const ReferenceLookup& lookup);
Value::Map Resolve(const Value::Map& attributes, const ReferenceLookup& lookup);

}  // namespace stashform::engine
