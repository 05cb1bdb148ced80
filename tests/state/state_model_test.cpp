// State's edits against a plain model: resources stay sorted and findable, the intent index
// stays true to the vector through random adds, removals, copies and direct edits.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "state/state.h"

namespace stashform::state {
namespace {

ResourceAddress Hook(int n) { return {"", "bitbucket.webhook", "R/" + std::to_string(n)}; }

ResourceState Resource(int n, int version) {
  ResourceState r;
  r.address = Hook(n);
  r.id = std::to_string(version);
  return r;
}

Intent IntentFor(int n, int64_t at) { return {Hook(n), "corp", {}, at}; }

// Checks `state` holds exactly what the models say, in address order for resources.
void ExpectMatches(const State& state, const std::map<ResourceAddress, std::string>& resources,
                   const std::map<ResourceAddress, int64_t>& intents) {
  ASSERT_EQ(state.resources.size(), resources.size());
  size_t i = 0;
  for (const auto& [address, id] : resources) {
    EXPECT_EQ(state.resources[i].address, address);
    EXPECT_EQ(state.resources[i++].id, id);
    ASSERT_NE(state.Find(address), nullptr);
  }
  std::map<ResourceAddress, int64_t> held;
  for (const auto& intent : state.intents) EXPECT_TRUE(held.emplace(intent.address, intent.created_at_ms).second);
  EXPECT_EQ(held, intents);
}

TEST(StateModel, RandomEditsKeepResourcesSortedAndTheIntentIndexTrue) {
  std::mt19937 random(23);
  for (int round = 0; round < 20; ++round) {
    State state;
    std::map<ResourceAddress, std::string> resources;
    std::map<ResourceAddress, int64_t> intents;
    for (int step = 0; step < 400; ++step) {
      int n = static_cast<int>(random() % 60);
      // Mostly ascending creates, as an apply makes them, with some anywhere.
      if (random() % 3 == 0) n = step / 4 + 60;
      switch (random() % 6) {
        case 0: state.Upsert(Resource(n, step)); resources[Hook(n)] = std::to_string(step); break;
        case 1: EXPECT_EQ(state.Remove(Hook(n)), resources.erase(Hook(n)) == 1); break;
        case 2:
        case 3: state.AddIntent(IntentFor(n, step)); intents[Hook(n)] = step; break;
        case 4: state.RemoveIntent(Hook(n)); intents.erase(Hook(n)); break;
        case 5:
          if (random() % 4 == 0) state = State(state);  // a copy carries its index along
          else if (random() % 4 == 0 && !state.intents.empty()) {
            state.intents.pop_back();  // a direct edit: the index must notice
            intents.clear();
            for (const auto& intent : state.intents) intents[intent.address] = intent.created_at_ms;
          }
          break;
      }
      ASSERT_NO_FATAL_FAILURE(ExpectMatches(state, resources, intents)) << "round " << round << " step " << step;
    }
  }
}

TEST(StateModel, RepeatedIntentsFromAHandEditedFileAllGoWithOneRemoval) {
  State state;
  state.intents = {IntentFor(1, 1), IntentFor(2, 2), IntentFor(1, 3)};
  state.RemoveIntent(Hook(1));
  ASSERT_EQ(state.intents.size(), 1u);
  EXPECT_EQ(state.intents[0].address, Hook(2));
}

}  // namespace
}  // namespace stashform::state
