#pragma once
// Just enough GraphQL for the Spacelift emulator: read an operation's kind, its root fields with
// their arguments (variables resolved) and selection sets, and project a stored JSON object onto a
// selection so that an answer carries only what was asked. It validates nothing beyond that.

#include <boost/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace stashform::emulator::spacelift {

/// Selection is one entry of a selection set: a field (maybe aliased, maybe with its own
/// selection) or an inline fragment `... on Type { ... }`.
struct Selection {
  std::string alias;  // the answer key; equals name when there is no alias
  std::string name;
  std::string on_type;  // non-empty for an inline fragment; then `children` are its selections
  boost::json::object arguments;  // variables already substituted
  std::vector<Selection> children;
};

/// Operation is one parsed document: `query` or `mutation`, and its root fields.
struct Operation {
  std::string kind = "query";
  std::vector<Selection> fields;
};

/// Parses `document`; `variables` substitutes `$name` arguments. Throws std::runtime_error with a
/// GraphQL-style message ("Syntax Error: ...", "Variable \"$x\" is not defined") on failure.
Operation ParseOperation(const std::string& document, const boost::json::object& variables);

/// The parts of `source` that `selection` names, under their answer keys. Nested objects and
/// lists of objects are projected recursively; inline fragments apply when `source.__typename`
/// equals their type. A field the object does not have throws
/// `Cannot query field "x" on type "T".`
boost::json::value Project(const boost::json::value& source, const std::vector<Selection>& selection,
                           const std::string& type_name);

}  // namespace stashform::emulator::spacelift
