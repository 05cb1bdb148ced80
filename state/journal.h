#pragma once
// The journal beside a state file: the changes a run made since the file was last written in
// full, so that every remote write is durable at once without rewriting a large state each time.
//
// `<state>.journal` (mode 0600) is a sequence of frames, each `frame <bytes> <sha256 hex>\n`, the
// payload, and `\n`. The first payload is the header (format, version, lineage, and the serial of
// the state file the journal continues); each later payload is one record (EncodeChanges), sealed
// like the state file when that is encrypted. A crash can cut short only the last frame, which
// was never acknowledged: it is ignored. A damaged frame anywhere else is an error.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace stashform::state {

struct JournalHeader {
  std::string lineage;
  uint64_t base_serial = 0;  // the serial of the state file the records apply to
};

struct JournalContents {
  std::optional<JournalHeader> header;  // nothing when the file holds no complete header
  std::vector<std::string> records;     // the payloads after the header, in order
  size_t intact_bytes = 0;              // where the frames that can be trusted end
  bool torn_tail = false;               // a last frame cut short (or half written) was dropped
};

/// The bytes of one frame around `payload`.
std::string JournalFrame(std::string_view payload);
std::string EncodeJournalHeader(const JournalHeader& header);
/// Splits `bytes` into frames; errors name `file` and the frame's byte offset.
Result<JournalContents> ParseJournal(std::string_view bytes, const std::string& file);

/// JournalFile appends frames durably. The caller holds the state's lock: no one else writes it.
class JournalFile {
 public:
  explicit JournalFile(std::string path) : path_(std::move(path)) {}
  ~JournalFile() { Close(); }
  JournalFile(const JournalFile&) = delete;
  JournalFile& operator=(const JournalFile&) = delete;

  /// Opens the journal for appending: a fresh one holding only `header`, or (with `keep_bytes`)
  /// the existing one cut back to its intact frames.
  Status Open(const JournalHeader& header, std::optional<size_t> keep_bytes);
  /// Appends one frame and returns once it is on disk. A failed append is cut off again, so the
  /// file never holds a damaged frame before a good one.
  Status Append(std::string_view payload);
  void Close();
  /// Closes and deletes the journal: a full save made it redundant.
  Status Remove();

  bool is_open() const { return fd_ >= 0; }
  size_t bytes() const { return bytes_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  size_t bytes_ = 0;
};

}  // namespace stashform::state
