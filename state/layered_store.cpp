#include "state/layered_store.h"

#include <algorithm>

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

}  // namespace

LayeredStore::LayeredStore(std::unique_ptr<StateBackend> backend, std::unique_ptr<Locker> locker,
                           StateStoreOptions options)
    : backend_(std::move(backend)),
      locker_(std::move(locker)),
      cipher_(std::move(options)),
      journal_(backend_->journal(), cipher_),
      name_(FileName(backend_->Describe())) {}

Result<std::optional<State>> LayeredStore::Load() {
  // Each layer in turn: the backend's bytes, opened by the cipher, decoded, the journal replayed.
  auto bytes = backend_->Read();
  if (!bytes.ok()) {
    unreadable_ = bytes.message();
    return bytes.status();
  }
  loaded_ = true;
  unreadable_.reset();
  stored_.reset();
  if (!bytes->has_value()) return std::optional<State>();
  Result<std::string> plaintext = cipher_.Open(std::move(**bytes), name_);
  if (!plaintext.ok()) {
    unreadable_ = plaintext.message();
    return plaintext.status();
  }
  Result<State> decoded = DecodeState(*plaintext, name_);
  if (!decoded.ok()) {
    unreadable_ = decoded.message();
    return decoded.status();
  }
  stored_ = Stored{{decoded->lineage, decoded->serial}, std::move(*plaintext)};
  if (Status replayed = journal_.Replay(*decoded); !replayed.ok()) {
    unreadable_ = replayed.message();
    stored_.reset();
    return replayed;
  }
  return std::optional<State>(std::move(*decoded));
}

bool LayeredStore::CanAppend() const {
  // A state that must be rewritten under a new key is saved in full rather than extended.
  return loaded_ && stored_ && !unreadable_ && !journal_.failed() && !cipher_.NeedsRewrite();
}

Result<uint64_t> LayeredStore::Append(const std::vector<StateChange>& changes) {
  if (!CanAppend())
    return Status::Error(Describe() + ": changes cannot be appended now; save the state in full");
  return journal_.Append(stored_->version, changes);
}

bool LayeredStore::WantsFullSave() const {
  // Rewriting once the journal outgrows the state keeps both loading and saving linear overall.
  constexpr size_t kSmallestWorthSaving = 4u << 20;
  return journal_.bytes() > std::max(kSmallestWorthSaving, stored_ ? stored_->text.size() : 0);
}

Status LayeredStore::Refusal() const {
  return Status::Error("refusing to overwrite " + Describe() + ": it could not be read (" + *unreadable_ +
                       "); repair it or restore " + backend_->DescribeBackup());
}

Status LayeredStore::Save(State& state) {
  // Learn what is stored first: a save must never replace a state nobody could read.
  if (!loaded_ && !unreadable_) Load();
  if (unreadable_) return Refusal();
  if (stored_)
    if (Status s = CheckSameLineage(stored_->version.lineage, state, Describe()); !s.ok()) return s;
  uint64_t serial_before = state.serial;
  // Past the journal's records too, whatever serial the caller's copy carries.
  std::optional<uint64_t> stored_serial;
  if (stored_) stored_serial = std::max(stored_->version.serial, journal_.last_serial().value_or(0));
  state.serial = NextSerial(stored_serial, state);
  std::string text = EncodeState(state);
  // With a journal the stored state alone is behind: it is written even when the content matches.
  if (stored_ && !journal_.last_serial() && ContentPart(text) == ContentPart(stored_->text)) {
    state.serial = serial_before;
    if (!cipher_.NeedsRewrite()) return Status::Ok();
    // Same content under new protection (a new key): rewrite it without a new serial.
    state.serial = stored_->version.serial;
    text = EncodeState(state);
  }
  std::optional<StateVersion> expected;
  if (stored_) expected = stored_->version;
  stored_.reset();  // frees the old text before the new one is sealed; a failed write reloads
  StateVersion next{state.lineage, state.serial};
  if (Status written = WriteText(text, next, expected); !written.ok()) {
    state.serial = serial_before;
    loaded_ = false;
    return written;
  }
  stored_ = Stored{next, std::move(text)};
  cipher_.MarkWritten();
  journal_.Fold();
  return Status::Ok();
}

Status LayeredStore::WriteText(const std::string& text, const StateVersion& next,
                               const std::optional<StateVersion>& expected) {
  // Plaintext goes out from the caller's string: a large state's text is not copied.
  if (!cipher_.seals()) return backend_->Write(text, next, expected);
  Result<std::string> sealed = cipher_.Seal(text);
  if (!sealed.ok()) return sealed.status();
  return backend_->Write(*sealed, next, expected);
}

}  // namespace stashform::state
