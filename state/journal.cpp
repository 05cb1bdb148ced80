#include "state/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <charconv>

#include "base/digest.h"
#include "state/file_io.h"
#include "state/json_text.h"

namespace stashform::state {

namespace {

constexpr std::string_view kFrameWord = "frame ";
constexpr const char* kJournalFormat = "stashform-journal";
constexpr int kJournalVersion = 1;
constexpr size_t kDigestChars = 64;

std::string FileName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

struct FrameLine {
  size_t payload_bytes = 0;
  std::string_view digest;
};

// "frame <bytes> <sha256 hex>": nothing when the line is not one.
std::optional<FrameLine> ParseFrameLine(std::string_view line) {
  if (line.substr(0, kFrameWord.size()) != kFrameWord) return std::nullopt;
  line.remove_prefix(kFrameWord.size());
  size_t space = line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  FrameLine frame;
  auto [end, error] = std::from_chars(line.data(), line.data() + space, frame.payload_bytes);
  if (error != std::errc() || end != line.data() + space) return std::nullopt;
  frame.digest = line.substr(space + 1);
  if (frame.digest.size() != kDigestChars) return std::nullopt;
  return frame;
}

Result<JournalHeader> DecodeHeader(std::string_view payload, const std::string& file) {
  Result<boost::json::value> parsed = ParseJson(payload, file);
  if (!parsed.ok()) return parsed.status();
  const auto* object = parsed->if_object();
  const auto* format = object ? object->if_contains("format") : nullptr;
  const auto* version = object ? object->if_contains("version") : nullptr;
  const auto* lineage = object ? object->if_contains("lineage") : nullptr;
  const auto* serial = object ? object->if_contains("base_serial") : nullptr;
  if (!format || !format->is_string() || format->get_string() != kJournalFormat)
    return Status::Error(file + ": not a stashform journal (expected \"format\": \"" + kJournalFormat + "\")");
  if (!version || !version->is_int64() || version->get_int64() != kJournalVersion)
    return Status::Error(file + ": journal version is not " + std::to_string(kJournalVersion) +
                         "; it was written by another stashform version");
  if (!lineage || !lineage->is_string() || !serial || !serial->is_int64() || serial->get_int64() < 0)
    return Status::Error(file + ": journal header lacks its lineage or base serial");
  return JournalHeader{std::string(lineage->get_string()), static_cast<uint64_t>(serial->get_int64())};
}

}  // namespace

std::string JournalFrame(std::string_view payload) {
  std::string frame;
  // One allocation: "frame ", at most 20 digits, a space, the digest and a newline, then the payload
  // and its newline.
  frame.reserve(kFrameWord.size() + 20 + 1 + kDigestChars + 1 + payload.size() + 1);
  frame += kFrameWord;
  frame += std::to_string(payload.size());
  frame += ' ';
  frame += Sha256Hex(payload);
  frame += '\n';
  frame.append(payload);
  frame += '\n';
  return frame;
}

std::string EncodeJournalHeader(const JournalHeader& header) {
  PrettyWriter w;
  w.BeginObject();
  w.Key("format"); w.String(kJournalFormat);
  w.Key("version"); w.Int(kJournalVersion);
  w.Key("lineage"); w.String(header.lineage);
  w.Key("base_serial"); w.Uint(header.base_serial);
  w.EndObject();
  return w.Take();
}

Result<JournalContents> ParseJournal(std::string_view bytes, const std::string& file) {
  JournalContents contents;
  size_t at = 0;
  while (at < bytes.size()) {
    size_t newline = bytes.find('\n', at);
    if (newline == std::string_view::npos) break;  // a frame line cut short
    auto frame = ParseFrameLine(bytes.substr(at, newline - at));
    if (!frame)
      return Status::Error(file + ": byte " + std::to_string(at) + ": damaged journal frame; the state file " +
                           "itself is intact: move the journal aside to load the state without its records");
    size_t start = newline + 1, end = start + frame->payload_bytes;
    if (end + 1 > bytes.size()) break;  // a payload cut short
    std::string_view payload = bytes.substr(start, frame->payload_bytes);
    if (bytes[end] != '\n' || Sha256Hex(payload) != frame->digest) {
      // Only the last frame can be half on disk; a bad frame with more after it is damage.
      if (end + 1 == bytes.size()) break;
      return Status::Error(file + ": byte " + std::to_string(at) + ": journal frame fails its checksum; the " +
                           "state file itself is intact: move the journal aside to load the state without its records");
    }
    if (!contents.header) {
      auto header = DecodeHeader(payload, file);
      if (!header.ok()) return header.status();
      contents.header = std::move(*header);
    } else {
      contents.records.emplace_back(payload);
    }
    at = end + 1;
    contents.intact_bytes = at;
  }
  contents.torn_tail = contents.intact_bytes < bytes.size();
  return contents;
}

Result<std::optional<std::string>> JournalFile::Read() { return ReadFileIfExists(path_); }

Status JournalFile::Open(size_t keep_bytes) {
  Close();
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) return Errno("cannot open", path_);
  bytes_ = keep_bytes;
  if (::ftruncate(fd_, static_cast<off_t>(bytes_)) != 0 || ::lseek(fd_, 0, SEEK_END) < 0) {
    Status error = Errno("cannot prepare", path_);
    Close();
    return error;
  }
  // A new journal's name must survive a power failure as well as its bytes.
  if (keep_bytes == 0)
    if (Status s = SyncFolder(ParentFolder(path_)); !s.ok()) {
      Close();
      return s;
    }
  return Status::Ok();
}

Status JournalFile::Append(std::string_view bytes) {
  if (fd_ < 0) return Status::Error(path_ + " is not open");
  Status status = WriteAll(fd_, bytes, path_);
  if (status.ok() && ::fdatasync(fd_) != 0) status = Errno("cannot sync", path_);
  if (!status.ok()) {
    // Cut the partial frame off so that later frames never follow a damaged one.
    if (::ftruncate(fd_, static_cast<off_t>(bytes_)) != 0 || ::lseek(fd_, 0, SEEK_END) < 0) Close();
    return status;
  }
  bytes_ += bytes.size();
  return Status::Ok();
}

void JournalFile::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status JournalFile::Remove() {
  Close();
  bytes_ = 0;
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT) return Errno("cannot remove", path_);
  return Status::Ok();
}

void StateJournal::Forget() {
  open_ = false;
  serial_.reset();
  intact_.reset();
  failed_ = false;
}

Status StateJournal::Replay(State& state) {
  Forget();
  auto bytes = stream_.Read();
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return Status::Ok();
  const std::string name = FileName(stream_.Describe());
  auto contents = ParseJournal(**bytes, name);
  if (!contents.ok()) return contents.status();
  if (!contents->header || contents->header->lineage != state.lineage ||
      contents->header->base_serial != state.serial)
    return Status::Ok();
  uint64_t serial = state.serial;
  for (size_t i = 0; i < contents->records.size(); ++i) {
    const std::string where = name + ": record " + std::to_string(i + 1);
    Result<std::string> plaintext = cipher_.Open(std::move(contents->records[i]), where);
    if (!plaintext.ok()) return plaintext.status();
    auto record = DecodeChanges(*plaintext, where);
    if (!record.ok()) return record.status();
    if (record->serial != serial + 1)
      return Status::Error(where + ": serial " + std::to_string(record->serial) + " does not follow " +
                           std::to_string(serial) + "; the journal was edited or mixed with another");
    for (const auto& change : record->changes) state.Apply(change);
    serial = record->serial;
  }
  state.serial = serial;
  serial_ = serial;
  intact_ = contents->intact_bytes;
  return Status::Ok();
}

Result<uint64_t> StateJournal::Append(const StateVersion& base, const std::vector<StateChange>& changes) {
  if (!open_) {
    // Continue the journal Replay found, or start one on the state as stored.
    Status opened = stream_.Open(serial_ ? *intact_ : 0);
    if (opened.ok() && !serial_) opened = stream_.Append(JournalFrame(EncodeJournalHeader({base.lineage, base.serial})));
    if (!opened.ok()) {
      failed_ = true;
      return opened;
    }
    open_ = true;
  }
  const uint64_t serial = serial_.value_or(base.serial) + 1;
  std::string record = EncodeChanges(serial, changes);
  // A plaintext record goes into its frame as encoded (Seal would hand back a copy of it).
  Result<std::string> sealed = cipher_.seals() ? cipher_.Seal(record) : Result<std::string>(std::move(record));
  if (!sealed.ok()) return sealed.status();
  if (Status s = stream_.Append(JournalFrame(*sealed)); !s.ok()) {
    failed_ = true;
    return s;
  }
  serial_ = serial;
  intact_ = stream_.bytes();
  return serial;
}

void StateJournal::Fold() {
  // Were this removal lost, the journal's base serial no longer matches the stored state and the
  // next Replay ignores it.
  Forget();
  (void)stream_.Remove();
}

}  // namespace stashform::state
