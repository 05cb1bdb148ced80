#pragma once
// BoundedLog keeps the newest entries of a log (requests, deliveries) with a sequence number each,
// so a test can ask for "everything since N". A bounded log keeps long benchmarks from growing
// memory without end; sequences keep counting across Clear, so "since" stays meaningful.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace stashform::emulator {

/// BoundedLog of Entry, which has a `std::uint64_t sequence` member the log assigns.
template <typename Entry>
class BoundedLog {
 public:
  /// Appends with the next sequence number, then drops the oldest beyond capacity.
  void Append(Entry entry, std::size_t capacity) {
    entry.sequence = next_sequence_++;
    entries_.push_back(std::move(entry));
    while (entries_.size() > capacity) entries_.pop_front();
  }
  void Clear() { entries_.clear(); }
  /// Entries with a sequence above `since`, oldest first.
  std::vector<Entry> Since(std::uint64_t since) const {
    std::vector<Entry> newer;
    for (const auto& entry : entries_)
      if (entry.sequence > since) newer.push_back(entry);
    return newer;
  }
  std::size_t size() const { return entries_.size(); }
  typename std::deque<Entry>::const_iterator begin() const { return entries_.begin(); }
  typename std::deque<Entry>::const_iterator end() const { return entries_.end(); }
  typename std::deque<Entry>::const_reverse_iterator rbegin() const { return entries_.rbegin(); }
  typename std::deque<Entry>::const_reverse_iterator rend() const { return entries_.rend(); }

 private:
  std::deque<Entry> entries_;
  std::uint64_t next_sequence_ = 1;
};

/// The request-log fields every emulator records; an emulator may keep more beside them.
struct LoggedRequest {
  std::uint64_t sequence = 0;
  std::string method;
  std::string path;       // as received, with query
  int status = 0;         // 0 when the connection was dropped before the request ran
  std::int64_t time = 0;  // epoch ms
  std::string caller;     // the authenticated user or API key, empty when anonymous
  bool dropped = false;   // no answer reached the client
};

}  // namespace stashform::emulator
