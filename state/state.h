#pragma once
// The state model: what stashform knows of the remote world, and its JSON codec.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>
#include <type_traits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/address.h"
#include "base/status.h"
#include "base/value.h"

namespace stashform::state {

/// ResourceState is one managed remote object as last seen.
struct ResourceState {
  ResourceAddress address;
  std::string server;      // server block name, e.g. "corp"
  std::string id;          // remote id
  Value::Map attributes;   // sensitive ones carry the mark (restored from sensitive paths on load)
  Value::Map private_data; // sensitive values only a create answer carried (token values)
  std::vector<std::string> dependencies;  // addresses
  bool prevent_destroy = false;           // outlives the config block
  bool keep_on_removal = false;           // lifecycle.destroy = false: a removed block forgets it
  /// Adopted by natural key after its create's answer was lost: values only that answer carried
  /// (a token's value) are missing for good, and the plan replaces the object.
  bool create_answer_lost = false;
};

/// ResourceList holds a state's resources in address order, each address once. Finding, adding
/// and removing one is O(log n): a sorted vector moved every later object on each create, which
/// made an apply of many creates quadratic. Reads like a sequence (iteration, size, `[i]` by
/// walking, for tests); the address of an object held must not be changed in place.
class ResourceList {
  struct ByAddress {
    using is_transparent = void;
    bool operator()(const ResourceState& a, const ResourceState& b) const { return a.address < b.address; }
    bool operator()(const ResourceState& a, const ResourceAddress& b) const { return a.address < b; }
    bool operator()(const ResourceAddress& a, const ResourceState& b) const { return a < b.address; }
  };
  using Set = std::set<ResourceState, ByAddress>;

 public:
  /// Walks the objects in address order; the mutable one lets callers edit all but the address.
  template <bool kConst>
  class Iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = ResourceState;
    using difference_type = std::ptrdiff_t;
    using reference = std::conditional_t<kConst, const ResourceState&, ResourceState&>;
    using pointer = std::conditional_t<kConst, const ResourceState*, ResourceState*>;

    Iterator() = default;
    explicit Iterator(Set::const_iterator at) : at_(at) {}
    operator Iterator<true>() const { return Iterator<true>(at_); }  // NOLINT: as containers do
    // Set elements are const only to guard the key; the address is never changed through this.
    reference operator*() const { return const_cast<reference>(*at_); }
    pointer operator->() const { return &**this; }
    Iterator& operator++() { ++at_; return *this; }
    Iterator operator++(int) { Iterator before = *this; ++at_; return before; }
    Iterator& operator--() { --at_; return *this; }
    Iterator operator--(int) { Iterator before = *this; --at_; return before; }
    bool operator==(const Iterator& other) const = default;
    Set::const_iterator base() const { return at_; }

   private:
    Set::const_iterator at_;
  };
  using iterator = Iterator<false>;
  using const_iterator = Iterator<true>;
  using value_type = ResourceState;
  using size_type = size_t;

  ResourceList() = default;
  ResourceList(std::initializer_list<ResourceState> items) { for (const auto& item : items) push_back(item); }

  iterator begin() { return iterator(set_.begin()); }
  iterator end() { return iterator(set_.end()); }
  const_iterator begin() const { return const_iterator(set_.begin()); }
  const_iterator end() const { return const_iterator(set_.end()); }
  size_t size() const { return set_.size(); }
  bool empty() const { return set_.empty(); }
  void clear() { set_.clear(); }
  void reserve(size_t) {}  // nothing to reserve; kept so that code written for a vector reads on
  ResourceState& front() { return *begin(); }
  const ResourceState& front() const { return *begin(); }
  ResourceState& back() { return *std::prev(end()); }
  const ResourceState& back() const { return *std::prev(end()); }
  /// The i-th object in address order, found by walking: for tests and small states.
  ResourceState& operator[](size_t i) { return *std::next(begin(), static_cast<std::ptrdiff_t>(i)); }
  const ResourceState& operator[](size_t i) const { return *std::next(begin(), static_cast<std::ptrdiff_t>(i)); }
  ResourceState& at(size_t i) { return i < size() ? (*this)[i] : throw std::out_of_range("ResourceList::at"); }
  const ResourceState& at(size_t i) const {
    return i < size() ? (*this)[i] : throw std::out_of_range("ResourceList::at");
  }

  /// Adds `resource` in its place, or replaces the one at its address.
  void push_back(ResourceState resource) { Upsert(std::move(resource)); }
  void Upsert(ResourceState resource) {
    // Creates and loads arrive mostly in address order: a hint at the end makes those O(1).
    auto hint = set_.empty() || ByAddress()(*set_.rbegin(), resource) ? set_.end() : set_.lower_bound(resource);
    if (hint != set_.end() && hint->address == resource.address) {
      hint = set_.erase(hint);
    }
    set_.insert(hint, std::move(resource));
  }
  const ResourceState* Find(const ResourceAddress& address) const {
    auto it = set_.find(address);
    return it == set_.end() ? nullptr : &*it;
  }
  bool Remove(const ResourceAddress& address) {
    auto it = set_.find(address);
    if (it == set_.end()) return false;
    set_.erase(it);
    return true;
  }
  iterator erase(const_iterator at) { return iterator(set_.erase(at.base())); }
  iterator erase(const_iterator first, const_iterator last) { return iterator(set_.erase(first.base(), last.base())); }

 private:
  Set set_;
};

/// Intent is a create that was about to be sent: a run that finds one adopts the object by its
/// natural key, or drops the intent when nothing exists.
struct Intent {
  ResourceAddress address;
  std::string server;
  Value::Map natural_key;
  int64_t created_at_ms = 0;
};

struct State;

/// StateChange is one edit a run makes as it goes: small enough to journal after each remote
/// write instead of rewriting the whole state (see state/journal.h).
struct StateChange {
  enum class Kind { kUpsert, kRemove, kAddIntent, kRemoveIntent };
  Kind kind = Kind::kUpsert;
  ResourceState resource;   // kUpsert
  Intent intent;            // kAddIntent
  ResourceAddress address;  // kRemove, kRemoveIntent

  static StateChange Upsert(ResourceState resource);
  static StateChange Remove(ResourceAddress address);
  static StateChange AddIntent(Intent intent);
  static StateChange RemoveIntent(ResourceAddress address);
};

struct State {
  static constexpr const char* kFormatName = "stashform-state";
  static constexpr int kFormatVersion = 1;

  std::string lineage;  // UUID fixed at creation
  uint64_t serial = 0;  // bumped by the store whenever the content changes
  std::string tool_version;
  ResourceList resources;
  Value::Map outputs;
  // One per address; their order carries no meaning. Edit through AddIntent/RemoveIntent: the
  // index beside it notices a direct edit only when the count changes.
  std::vector<Intent> intents;

  static State New(std::string tool_version);  // fresh lineage, serial 0
  const ResourceState* Find(const ResourceAddress& address) const;
  ResourceState* Find(const ResourceAddress& address);
  void Upsert(ResourceState resource);
  bool Remove(const ResourceAddress& address);
  void AddIntent(Intent intent);
  void RemoveIntent(const ResourceAddress& address);
  /// Makes `change`, as the run that journaled it did.
  void Apply(const StateChange& change);
  /// Equality of everything but serial and tool version: whether a save would change anything.
  bool SameContent(const State& other) const;

 private:
  /// Where the intent for `address` sits, through an index beside `intents` that is checked on
  /// each use and rebuilt when the vector was edited directly; npos when there is none.
  size_t IntentPosition(const ResourceAddress& address);

  // A run that journals its intents adds and drops one per create: a scan each time made an
  // apply with many intents quadratic.
  std::map<ResourceAddress, size_t> intent_positions_;
};

/// JSON text of the state (pretty, stable key order), sensitive attributes listed by path.
std::string EncodeState(const State& state);
/// Parses state JSON; errors name the file and the position: `state.json:3:14: expected ','`.
Result<State> DecodeState(std::string_view text, const std::string& file_name);

/// JSON text of one journal record: the serial the state has once `changes` are made, and them.
std::string EncodeChanges(uint64_t serial, const std::vector<StateChange>& changes);
struct DecodedChanges {
  uint64_t serial = 0;
  std::vector<StateChange> changes;
};
/// Parses a journal record; errors name `where` (the journal file and record number).
Result<DecodedChanges> DecodeChanges(std::string_view text, const std::string& where);

std::string NewUuid();

}  // namespace stashform::state
