#pragma once
// "Did you mean" suggestions for misspelt names: attributes, commands, addresses, event keys.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stashform {

/// Edit distance between two words; a swap of neighbouring letters counts as one edit.
size_t EditDistance(std::string_view a, std::string_view b);

/// The closest candidate within a distance that scales with the word's length, or nothing.
std::optional<std::string> ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

/// `did you mean "url"?` or "" when nothing is close.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace stashform
