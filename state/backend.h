#pragma once
// StateBackend is where a state's bytes live (a local file, a database row, memory): read, write
// by compare-and-swap, a backup, and a byte stream for the journal. It knows nothing of the state
// format, encryption or locking; the layers above (state/layered_store.h) supply those.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace stashform::state {

/// StateVersion identifies one stored version of a state: its lineage and serial.
struct StateVersion {
  std::string lineage;
  uint64_t serial = 0;
  bool operator==(const StateVersion&) const = default;
};

/// JournalStream keeps the journal's bytes for a backend (see state/journal.h for the frames):
/// read whole, appended durably, dropped once a full write made it redundant.
class JournalStream {
 public:
  virtual ~JournalStream() = default;
  /// Everything stored, or nothing when there is no journal.
  virtual Result<std::optional<std::string>> Read() = 0;
  /// Prepares to append: keeps the first `keep_bytes` stored (0: starts an empty journal).
  virtual Status Open(size_t keep_bytes) = 0;
  /// Appends `bytes` and returns once they are durable; on failure none of them remain.
  virtual Status Append(std::string_view bytes) = 0;
  /// Drops the journal (closing it first).
  virtual Status Remove() = 0;
  /// How many bytes the open journal holds (0 when closed).
  virtual size_t bytes() const = 0;
  virtual std::string Describe() const = 0;  // e.g. the journal file's path, for messages
};

/// StateBackend stores the bytes of one state. Write is a compare-and-swap: it refuses, changing
/// nothing, when what is stored is no longer what this backend last read or wrote.
class StateBackend {
 public:
  virtual ~StateBackend() = default;
  /// The stored bytes, or nothing when no state was ever written. Remembers what it read, for
  /// the compare-and-swap of the next Write.
  virtual Result<std::optional<std::string>> Read() = 0;
  /// Replaces the stored bytes with `bytes`, which hold version `next`, only while what is stored
  /// is still `expected` (nothing: no state is stored) as this backend last read or wrote it.
  /// The first Write of a backend keeps what it replaces as the backup.
  virtual Status Write(std::string_view bytes, const StateVersion& next,
                       const std::optional<StateVersion>& expected) = 0;
  /// The bytes kept as the backup, or nothing when none was kept.
  virtual Result<std::optional<std::string>> ReadBackup() = 0;
  virtual JournalStream& journal() = 0;
  /// The stored state and its backup, for messages: a path, a database row.
  virtual std::string Describe() const = 0;
  virtual std::string DescribeBackup() const = 0;
};

/// The refusal of a Write whose `expected` version is no longer stored at `where`.
Status StaleWriteError(const std::string& where, const std::string& found);

}  // namespace stashform::state
