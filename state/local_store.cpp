#include "state/local_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "state/file_io.h"
#include "state/lock_info.h"
#include "state/save_rules.h"

namespace stashform::state {

namespace {

std::string FileName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Everything after the header (format, version, lineage, serial, tool version): two texts with
// equal content parts hold the same state. The pattern cannot occur earlier, since JSON strings
// hold no raw newline.
std::string_view ContentPart(std::string_view text) {
  size_t start = text.find("\n  \"resources\": ");
  return start == std::string_view::npos ? text : text.substr(start);
}

bool SameFile(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

}  // namespace

LocalFileStore::LocalFileStore(std::string path, StateStoreOptions options)
    : path_(std::move(path)), cipher_(std::move(options)), journal_(path_ + ".journal") {}

LocalFileStore::~LocalFileStore() {
  if (lock_fd_ >= 0) Unlock();
}

Result<std::optional<State>> LocalFileStore::Load() {
  auto bytes = ReadFileIfExists(path_);
  if (!bytes.ok()) {
    unreadable_ = bytes.message();
    return bytes.status();
  }
  loaded_ = true;
  unreadable_.reset();
  stored_.reset();
  if (!bytes->has_value()) return std::optional<State>();
  Result<std::string> plaintext = cipher_.Open(std::move(**bytes), FileName(path_));
  if (!plaintext.ok()) {
    unreadable_ = plaintext.message();
    return plaintext.status();
  }
  Result<State> decoded = DecodeState(*plaintext, FileName(path_));
  if (!decoded.ok()) {
    unreadable_ = decoded.message();
    return decoded.status();
  }
  stored_ = Stored{decoded->lineage, decoded->serial, std::move(*plaintext)};
  if (Status replayed = ReplayJournal(*decoded); !replayed.ok()) {
    unreadable_ = replayed.message();
    stored_.reset();
    return replayed;
  }
  return std::optional<State>(std::move(*decoded));
}

// Makes the changes the journal records on top of the file just loaded. A journal of another
// lineage or serial is left from before the file was last written in full: it is ignored.
Status LocalFileStore::ReplayJournal(State& state) {
  journal_.Close();
  journal_serial_.reset();
  journal_intact_.reset();
  journal_failed_ = false;
  auto bytes = ReadFileIfExists(journal_path());
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return Status::Ok();
  const std::string name = FileName(journal_path());
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
  journal_serial_ = serial;
  journal_intact_ = contents->intact_bytes;
  return Status::Ok();
}

bool LocalFileStore::CanAppend() const {
  // A file that must be rewritten under a new key is saved in full rather than extended.
  return loaded_ && stored_ && !unreadable_ && !journal_failed_ && !cipher_.NeedsRewrite();
}

Result<uint64_t> LocalFileStore::Append(const std::vector<StateChange>& changes) {
  if (!CanAppend()) return Status::Error(path_ + ": changes cannot be appended now; save the state in full");
  if (!journal_.is_open()) {
    // Continue the journal Load replayed, or start one on the file as stored.
    Status opened = journal_.Open({stored_->lineage, stored_->serial},
                                  journal_serial_ ? journal_intact_ : std::nullopt);
    if (!opened.ok()) {
      journal_failed_ = true;
      return opened;
    }
  }
  const uint64_t serial = journal_serial_.value_or(stored_->serial) + 1;
  Result<std::string> sealed = cipher_.Seal(EncodeChanges(serial, changes));
  if (!sealed.ok()) return sealed.status();
  if (Status s = journal_.Append(*sealed); !s.ok()) {
    journal_failed_ = true;
    return s;
  }
  journal_serial_ = serial;
  journal_intact_ = journal_.bytes();
  return serial;
}

bool LocalFileStore::WantsFullSave() const {
  // Rewriting once the journal outgrows the file keeps both loading and saving linear overall.
  constexpr size_t kSmallestWorthSaving = 4u << 20;
  return journal_.bytes() > std::max(kSmallestWorthSaving, stored_ ? stored_->text.size() : 0);
}

Status LocalFileStore::Save(State& state) {
  // Learn what the file holds first: a save must never replace a file nobody could read.
  if (!loaded_ && !unreadable_) Load();
  if (unreadable_)
    return Status::Error("refusing to overwrite " + path_ + ": it could not be read (" + *unreadable_ +
                         "); repair it or restore " + backup_path());
  if (stored_)
    if (Status s = CheckSameLineage(stored_->lineage, state, path_); !s.ok()) return s;
  uint64_t serial_before = state.serial;
  // Past the journal's records too, whatever serial the caller's copy carries.
  state.serial = NextSerial(stored_ ? std::optional(std::max(stored_->serial, journal_serial_.value_or(0)))
                                    : std::nullopt,
                            state);
  std::string text = EncodeState(state);
  // With a journal the file alone is behind: it is written even when the content matches.
  if (stored_ && !journal_serial_ && ContentPart(text) == ContentPart(stored_->text)) {
    state.serial = serial_before;
    if (!cipher_.NeedsRewrite()) return Status::Ok();
    // Same content under new protection (a new key): rewrite it without a new serial.
    state.serial = stored_->serial;
    text = EncodeState(state);
  }
  stored_.reset();  // frees the old text before the new one is sealed; a failed write reloads
  Status written = WriteText(text);
  if (!written.ok()) {
    state.serial = serial_before;
    loaded_ = false;
    return written;
  }
  stored_ = Stored{state.lineage, state.serial, std::move(text)};
  cipher_.MarkWritten();
  // The file now holds everything the journal did; were this removal lost, the journal's base
  // serial no longer matches the file and the next Load ignores it.
  journal_serial_.reset();
  journal_intact_.reset();
  journal_failed_ = false;
  (void)journal_.Remove();
  return Status::Ok();
}

Status LocalFileStore::WriteText(const std::string& text) {
  // Plaintext goes out from the caller's string: a large state's text is not copied.
  std::optional<std::string> sealed;
  if (cipher_.seals()) {
    Result<std::string> result = cipher_.Seal(text);
    if (!result.ok()) return result.status();
    sealed = std::move(*result);
  }
  if (Status s = KeepBackupOnce(); !s.ok()) return s;
  return WriteFileAtomically(path_, sealed ? *sealed : text);
}

// One backup per run: the version this run found, not the one its previous save wrote.
Status LocalFileStore::KeepBackupOnce() {
  if (backup_taken_) return Status::Ok();
  auto old = ReadFileIfExists(path_);
  if (!old.ok()) return old.status();
  if (old->has_value()) {
    if (Status s = WriteFileAtomically(backup_path(), **old); !s.ok()) return s;
  }
  backup_taken_ = true;
  return Status::Ok();
}

Status LocalFileStore::Lock(const LockInfo& requested, std::chrono::milliseconds timeout) {
  if (lock_fd_ >= 0) return Status::Error(path_ + " is already locked by this run");
  LockInfo info = CompleteLockInfo(requested);
  if (info.path.empty()) info.path = path_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::chrono::milliseconds delay(10);
  for (;;) {
    Result<Attempt> attempt = TryLockOnce(info);
    if (!attempt.ok()) return attempt.status();
    if (*attempt == Attempt::kAcquired) return Status::Ok();
    if (*attempt == Attempt::kRetryNow) continue;
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      LockInfo holder = ReadLockHolder(path_).value_or(LockInfo{"(unknown)", "(unknown)", "an unknown holder",
                                                                "(unknown)", path_});
      return Status::Error(LockedMessage(holder));
    }
    // Backoff: waiting runs poll less as the wait grows, but never past the deadline.
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(delay, deadline - now));
    delay = std::min(delay * 2, std::chrono::milliseconds(1000));
  }
}

Result<LocalFileStore::Attempt> LocalFileStore::TryLockOnce(const LockInfo& info) {
  std::string lock = lock_path();
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Error("cannot open lock file " + lock + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) return Attempt::kBusy;
    return Status::Error("cannot lock " + lock + ": " + std::strerror(error));
  }
  // The previous holder may have unlinked the file between our open and flock: a lock on that
  // orphan would exclude nobody, so start over on the file now at the path.
  struct stat held {}, current {};
  if (::fstat(fd, &held) != 0 || ::stat(lock.c_str(), &current) != 0 || !SameFile(held, current)) {
    ::close(fd);
    return Attempt::kRetryNow;
  }
  lock_fd_ = fd;
  if (Status s = WriteLockInfo(info); !s.ok()) {
    Unlock();
    return s;
  }
  held_ = info;
  // Runs that died mid-save left their temp files (whole states, maybe secrets); no one else
  // writes while we hold the lock, so they can go now.
  RemoveLeftoverTempFiles(path_);
  return Attempt::kAcquired;
}

Status LocalFileStore::WriteLockInfo(const LockInfo& info) {
  std::string text = EncodeLockInfo(info);
  if (::ftruncate(lock_fd_, 0) != 0 || ::pwrite(lock_fd_, text.data(), text.size(), 0) != ssize_t(text.size()) ||
      ::fsync(lock_fd_) != 0)
    return Status::Error("cannot write lock file " + lock_path() + ": " + std::strerror(errno));
  return Status::Ok();
}

Status LocalFileStore::Unlock() {
  if (lock_fd_ < 0) return Status::Error(path_ + " is not locked by this run");
  // Remove the file only while it is still ours: after a force-unlock it may be another run's.
  struct stat held {}, current {};
  if (::fstat(lock_fd_, &held) == 0 && ::stat(lock_path().c_str(), &current) == 0 && SameFile(held, current))
    ::unlink(lock_path().c_str());
  ::close(lock_fd_);
  lock_fd_ = -1;
  held_.reset();
  return Status::Ok();
}

std::optional<LockInfo> LocalFileStore::ReadLockHolder(const std::string& state_path) {
  auto text = ReadFileIfExists(state_path + ".lock");
  if (!text.ok() || !text->has_value()) return std::nullopt;
  return DecodeLockInfo(**text);
}

Status LocalFileStore::ForceUnlock(const std::string& state_path, const std::string& lock_id) {
  std::string lock = state_path + ".lock";
  std::optional<LockInfo> holder = ReadLockHolder(state_path);
  if (!holder) return Status::Error(state_path + " is not locked");
  if (holder->id != lock_id)
    return Status::Error("lock ID \"" + lock_id + "\" does not match the lock on " + state_path + " (lock ID " +
                         holder->id + ", held by " + holder->who + ")");
  if (::unlink(lock.c_str()) != 0 && errno != ENOENT)
    return Status::Error("cannot remove " + lock + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace stashform::state
