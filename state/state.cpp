#include "state/state.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>

namespace stashform::state {

std::string NewUuid() {
  unsigned char bytes[16];
  RAND_bytes(bytes, sizeof bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

State State::New(std::string tool_version) {
  State state;
  state.lineage = NewUuid();
  state.tool_version = std::move(tool_version);
  return state;
}

const ResourceState* State::Find(const ResourceAddress& address) const { return resources.Find(address); }

ResourceState* State::Find(const ResourceAddress& address) {
  return const_cast<ResourceState*>(resources.Find(address));  // only the address is kept const
}

void State::Upsert(ResourceState resource) { resources.Upsert(std::move(resource)); }

bool State::Remove(const ResourceAddress& address) { return resources.Remove(address); }

size_t State::IntentPosition(const ResourceAddress& address) {
  auto lookup = [&]() -> size_t {
    auto it = intent_positions_.find(address);
    if (it == intent_positions_.end()) return std::string::npos;
    return it->second < intents.size() && intents[it->second].address == address ? it->second
                                                                                 : std::string::npos;
  };
  if (intent_positions_.size() == intents.size()) {
    size_t found = lookup();
    if (found != std::string::npos) return found;
    if (!intent_positions_.contains(address)) return std::string::npos;  // index and vector agree
  }
  // Rebuilt after a direct edit of the vector. A file edited by hand may repeat an address: the
  // first one counts and the rest go, as the old scan removed them all at once.
  intent_positions_.clear();
  std::vector<Intent> kept;
  kept.reserve(intents.size());
  for (auto& intent : intents)
    if (intent_positions_.emplace(intent.address, kept.size()).second) kept.push_back(std::move(intent));
  intents = std::move(kept);
  return lookup();
}

void State::AddIntent(Intent intent) {
  size_t at = IntentPosition(intent.address);
  if (at != std::string::npos) {
    intents[at] = std::move(intent);
    return;
  }
  intent_positions_.emplace(intent.address, intents.size());
  intents.push_back(std::move(intent));
}

void State::RemoveIntent(const ResourceAddress& address) {
  size_t at = IntentPosition(address);
  if (at == std::string::npos) return;
  intent_positions_.erase(address);
  // The last intent takes the freed place: nothing shifts, and only its position changes.
  if (at + 1 != intents.size()) {
    intents[at] = std::move(intents.back());
    intent_positions_[intents[at].address] = at;
  }
  intents.pop_back();
}

StateChange StateChange::Upsert(ResourceState resource) {
  StateChange change{Kind::kUpsert, {}, {}, resource.address};
  change.resource = std::move(resource);
  return change;
}

StateChange StateChange::Remove(ResourceAddress address) { return {Kind::kRemove, {}, {}, std::move(address)}; }

StateChange StateChange::AddIntent(Intent intent) {
  StateChange change{Kind::kAddIntent, {}, {}, intent.address};
  change.intent = std::move(intent);
  return change;
}

StateChange StateChange::RemoveIntent(ResourceAddress address) {
  return {Kind::kRemoveIntent, {}, {}, std::move(address)};
}

void State::Apply(const StateChange& change) {
  switch (change.kind) {
    case StateChange::Kind::kUpsert: return Upsert(change.resource);
    case StateChange::Kind::kRemove: Remove(change.address); return;
    case StateChange::Kind::kAddIntent: return AddIntent(change.intent);
    case StateChange::Kind::kRemoveIntent: return RemoveIntent(change.address);
  }
}

static bool SameResource(const ResourceState& a, const ResourceState& b) {
  return a.address == b.address && a.server == b.server && a.id == b.id && a.attributes == b.attributes &&
         a.private_data == b.private_data && a.dependencies == b.dependencies &&
         a.prevent_destroy == b.prevent_destroy && a.keep_on_removal == b.keep_on_removal &&
         a.create_answer_lost == b.create_answer_lost;
}

static bool SameIntent(const Intent& a, const Intent& b) {
  return a.address == b.address && a.server == b.server && a.natural_key == b.natural_key &&
         a.created_at_ms == b.created_at_ms;
}

bool State::SameContent(const State& other) const {
  return lineage == other.lineage && outputs == other.outputs &&
         std::equal(resources.begin(), resources.end(), other.resources.begin(), other.resources.end(),
                    SameResource) &&
         std::equal(intents.begin(), intents.end(), other.intents.begin(), other.intents.end(), SameIntent);
}

}  // namespace stashform::state
