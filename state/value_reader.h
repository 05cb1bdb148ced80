#pragma once
// JSON text straight to Values through Boost.JSON's event parser: no JSON tree is built first,
// which halved what loading a large state costs. Boost.JSON exceptions never leave this adapter.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/value.h"

namespace stashform::state {

/// StreamedArray hands each element of the top-level array `key` to `take` as soon as the parser
/// completes it, so that a caller can decode the elements one by one instead of holding them all
/// as Values. `take` sees the members of the document parsed so far, the element's index (0 starts
/// the array again when the key repeats) and the element; it returns false to leave the element in
/// the array instead.
struct StreamedArray {
  std::string key;
  std::function<bool(const Value::Map& document_so_far, size_t index, Value& element)> take;
  /// Called as the array opens, again for a repeated key (whose last array counts).
  std::function<void()> begin = [] {};
};

/// Parses `text` into a Value: objects become maps (of a repeated key the last one counts, as in
/// Boost.JSON), numbers that fit become integers. Errors read exactly as ParseJson's,
/// `file:line:col: <what>`, including the nesting limit of 32.
Result<Value> ParseValue(std::string_view text, const std::string& file_name,
                         const StreamedArray* streamed = nullptr);

}  // namespace stashform::state
