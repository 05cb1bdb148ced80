#pragma once
// The journal beside a stored state: the changes a run made since the state was last written in
// full, so that every remote write is durable at once without rewriting a large state each time.
//
// Its bytes (`<state>.journal`, mode 0600, for the local file backend) are a sequence of frames, each `frame <bytes> <sha256 hex>\n`, the
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
#include "state/backend.h"
#include "state/encryption.h"
#include "state/state.h"

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

/// JournalFile is the local file backend's JournalStream: `<state>.journal`, mode 0600, each
/// append fdatasync'ed. The caller holds the state's lock: no one else writes it.
class JournalFile : public JournalStream {
 public:
  explicit JournalFile(std::string path) : path_(std::move(path)) {}
  ~JournalFile() override { Close(); }
  JournalFile(const JournalFile&) = delete;
  JournalFile& operator=(const JournalFile&) = delete;

  Result<std::optional<std::string>> Read() override;
  Status Open(size_t keep_bytes) override;
  /// A failed append is cut off again, so the file never holds a damaged frame before a good one.
  Status Append(std::string_view bytes) override;
  Status Remove() override;
  size_t bytes() const override { return bytes_; }
  std::string Describe() const override { return path_; }
  void Close();

 private:
  std::string path_;
  int fd_ = -1;
  size_t bytes_ = 0;
};

/// StateJournal is the journal layer over any backend's JournalStream: it frames and seals one
/// record per Append, and Replay makes the records on top of the state just loaded. It never
/// writes the state itself; after a full write, Fold drops the records that write now holds.
class StateJournal {
 public:
  StateJournal(JournalStream& stream, StateCipher& cipher) : stream_(stream), cipher_(cipher) {}

  /// Makes the changes the journal records on top of `state`, just loaded. A journal of another
  /// lineage or base serial was left from before the state was last written in full: ignored.
  Status Replay(State& state);
  /// Appends one record after `base` (the stored state's version, or the last record's) and
  /// returns the serial the state has once `changes` are made.
  Result<uint64_t> Append(const StateVersion& base, const std::vector<StateChange>& changes);
  /// The state was written in full and holds every record: drops the journal.
  void Fold();

  /// The serial of the last record that continues the stored state, if any.
  std::optional<uint64_t> last_serial() const { return serial_; }
  /// An append failed: only full writes from now on.
  bool failed() const { return failed_; }
  size_t bytes() const { return stream_.bytes(); }

 private:
  void Forget();

  JournalStream& stream_;
  StateCipher& cipher_;
  bool open_ = false;
  // The serial of the last record that continues the stored state, and how many bytes of the
  // stream (loaded, or written by this run) hold intact frames.
  std::optional<uint64_t> serial_;
  std::optional<size_t> intact_;
  bool failed_ = false;
};

}  // namespace stashform::state
