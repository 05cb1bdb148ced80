#include "reconciler/engine/refresh.h"

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

namespace stashform::engine {

namespace {

/// Counts ended reads and hands each to the caller's progress, one call at a time.
class ProgressCounter {
 public:
  ProgressCounter(const RefreshProgress& progress, size_t total) : progress_(progress), total_(total) {}

  void Ended(const state::ResourceState& resource, bool ok) {
    if (!progress_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    progress_({resource.address, resource.id, ok, ++done_, total_});
  }

 private:
  const RefreshProgress& progress_;
  const size_t total_;
  size_t done_ = 0;
  std::mutex mutex_;
};

using Group = std::vector<const state::ResourceState*>;

/// The answers of a refresh as they arrive, group by group; made into the sorted map at the end.
using Answers = decltype(Refreshed::by_address)::sequence_type;

void ReportUndeclaredServer(const std::string& server, const std::string& why, const Group& resources,
                            Refreshed& refreshed, ProgressCounter& counter) {
  for (const auto* resource : resources) {
    if (!why.empty())
      refreshed.diagnostics.Error({}, resource->address.ToString(), "cannot be read: " + why);
    else
      refreshed.diagnostics.Error({}, resource->address.ToString(),
                                  "recorded on server \"" + server + "\", which the config no longer declares",
                                  "declare the server again, or run \"stashform state rm\" to forget it");
    counter.Ended(*resource, /*ok=*/false);
  }
}

void ReadGroup(provider::ResourceType& type, const Group& resources, Answers& answers, Refreshed& refreshed,
               ProgressCounter& counter) {
  std::vector<provider::ReadRequest> requests;
  requests.reserve(resources.size());
  for (const auto* resource : resources) requests.push_back({resource->id, resource->attributes});
  auto responses = type.ReadMany(requests, [&](size_t index, const provider::ReadResponse& response) {
    counter.Ended(*resources.at(index), !response.diagnostics.HasErrors());
  });
  for (size_t i = 0; i < resources.size(); ++i) {
    for (auto d : responses[i].diagnostics.items()) {
      if (d.subject.empty()) d.subject = resources[i]->address.ToString();
      refreshed.diagnostics.Add(std::move(d));
    }
    answers.emplace_back(resources[i]->address, std::move(responses[i]));
  }
}

/// Sorts the answers by address once (groups come in server and type order, not address order):
/// inserting each into the sorted map would move the entries after it every time.
void Adopt(Answers answers, Refreshed& refreshed) {
  auto by_address = [](const auto& a, const auto& b) { return a.first < b.first; };
  // One group (state keeps its records in address order) needs no sort, nor the sort's buffer.
  if (!std::is_sorted(answers.begin(), answers.end(), by_address))
    std::stable_sort(answers.begin(), answers.end(), by_address);
  // Of an address answered twice, the last answer counts, as an assignment into a map would have it.
  auto last = std::unique(answers.rbegin(), answers.rend(),
                          [](const auto& a, const auto& b) { return a.first == b.first; });
  answers.erase(answers.begin(), last.base());
  refreshed.by_address.adopt_sequence(boost::container::ordered_unique_range, std::move(answers));
}

}  // namespace

const provider::ReadResponse* Refreshed::Find(const ResourceAddress& address) const {
  auto it = by_address.find(address);
  return it == by_address.end() ? nullptr : &it->second;
}

const provider::FoundObjects* Refreshed::FoundByKey(const ResourceAddress& address) const {
  auto it = by_natural_key.find(address);
  return it == by_natural_key.end() ? nullptr : &it->second;
}

Refreshed Refresh(const state::State& state, const Servers& servers, const RefreshOptions& options) {
  Refreshed refreshed;
  ProgressCounter counter(options.progress, state.resources.size());
  std::map<std::pair<std::string, std::string>, Group> groups;
  for (const auto& resource : state.resources) groups[{resource.server, resource.address.type}].push_back(&resource);
  Answers answers;
  answers.reserve(state.resources.size());
  for (const auto& [key, resources] : groups) {
    provider::ResourceType* type = servers.Type(key.first, key.second);
    if (type) ReadGroup(*type, resources, answers, refreshed, counter);
    else ReportUndeclaredServer(key.first, servers.Unavailable(key.first, key.second), resources, refreshed, counter);
  }
  Adopt(std::move(answers), refreshed);
  return refreshed;
}

Refreshed FromState(const state::State& state) {
  Refreshed refreshed;
  Answers answers;
  answers.reserve(state.resources.size());
  for (const auto& resource : state.resources) {
    provider::ReadResponse response;
    response.attributes = resource.attributes;
    answers.emplace_back(resource.address, std::move(response));
  }
  Adopt(std::move(answers), refreshed);
  return refreshed;
}

}  // namespace stashform::engine
