#include <gtest/gtest.h>

#include "base/diagnostics.h"
#include "base/did_you_mean.h"

namespace stashform {
namespace {

TEST(Diagnostics, OneLineWithPlaceSubjectAndWayOut) {
  Diagnostics d;
  d.Error({"main.lua", 7}, "bitbucket.webhook \"api\"", "unknown attribute \"urll\"", DidYouMean("urll", {"url", "name"}));
  EXPECT_EQ(d.items()[0].ToString(),
            "main.lua:7: bitbucket.webhook \"api\": unknown attribute \"urll\" (did you mean \"url\"?)");
  EXPECT_EQ(d.ToString(), "Error: main.lua:7: bitbucket.webhook \"api\": unknown attribute \"urll\" (did you mean \"url\"?)\n");
}

TEST(Diagnostics, WarningsAreNotErrors) {
  Diagnostics d;
  d.Warning({}, "", "deprecated");
  EXPECT_FALSE(d.HasErrors());
  d.Error({}, "", "broken");
  EXPECT_TRUE(d.HasErrors());
  EXPECT_EQ(d.ToString(), "Warning: deprecated\nError: broken\n");
}

TEST(DidYouMean, SuggestsOnlyCloseWords) {
  EXPECT_EQ(DidYouMean("pln", {"plan", "apply", "version"}), "did you mean \"plan\"?");
  EXPECT_EQ(DidYouMean("evnets", {"events", "name"}), "did you mean \"events\"?");
  EXPECT_EQ(DidYouMean("zzzzzz", {"plan", "apply"}), "");
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("nmae", "name"), 1u) << "a swap of neighbours is one edit";
}

TEST(DidYouMean, TheFirstOfTheClosestCandidatesWinsWhateverTheirLengths) {
  EXPECT_EQ(EditDistance("abcd", "badc"), 2u) << "two swaps";
  EXPECT_EQ(EditDistance("ca", "abc"), 3u) << "optimal string alignment: no edit of a swapped pair";
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("repo:refs_changed", ""), 17u);
  EXPECT_EQ(ClosestMatch("pr:opend", {"pr:merged", "pr:opened", "pr:opened:x"}), "pr:opened");
  EXPECT_EQ(ClosestMatch("abcdef", {"abcdefgh", "abcdeg", "abcdfe"}), "abcdeg") << "first of those at distance 1";
  EXPECT_EQ(ClosestMatch(std::string(3000, 'x'), {"url", std::string(2999, 'x')}), std::string(2999, 'x'));
  EXPECT_EQ(ClosestMatch("url", {std::string(3000, 'u'), "uri"}), "uri");
}

}  // namespace
}  // namespace stashform
