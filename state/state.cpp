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

const ResourceState* State::Find(const ResourceAddress& address) const {
  auto it = std::lower_bound(resources.begin(), resources.end(), address,
                             [](const ResourceState& r, const ResourceAddress& a) { return r.address < a; });
  return it != resources.end() && it->address == address ? &*it : nullptr;
}

ResourceState* State::Find(const ResourceAddress& address) {
  return const_cast<ResourceState*>(static_cast<const State*>(this)->Find(address));
}

void State::Upsert(ResourceState resource) {
  auto it = std::lower_bound(resources.begin(), resources.end(), resource.address,
                             [](const ResourceState& r, const ResourceAddress& a) { return r.address < a; });
  if (it != resources.end() && it->address == resource.address)
    *it = std::move(resource);
  else
    resources.insert(it, std::move(resource));
}

bool State::Remove(const ResourceAddress& address) {
  auto it = std::lower_bound(resources.begin(), resources.end(), address,
                             [](const ResourceState& r, const ResourceAddress& a) { return r.address < a; });
  if (it == resources.end() || it->address != address) return false;
  resources.erase(it);
  return true;
}

void State::AddIntent(Intent intent) {
  RemoveIntent(intent.address);
  intents.push_back(std::move(intent));
}

void State::RemoveIntent(const ResourceAddress& address) {
  std::erase_if(intents, [&](const Intent& i) { return i.address == address; });
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
