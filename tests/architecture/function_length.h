#pragma once
// How long each function of a C++ source file is, read from its text: the check behind "no
// function in reconciler/ over 60 lines". A reader of braces, not a parser; enough for code that
// follows STYLE.md.

#include <string>
#include <string_view>
#include <vector>

namespace stashform::architecture {

struct FunctionSpan {
  std::string signature;  // the text before the body's `{`, whitespace folded, at most 100 chars
  int first_line = 0;     // the line of the opening brace
  int lines = 0;          // from the opening brace's line to the closing brace's, both counted
};

/// Every function body at namespace or class scope in `source` (lambdas count as part of the
/// function that holds them).
std::vector<FunctionSpan> FunctionSpans(std::string_view source);

}  // namespace stashform::architecture
