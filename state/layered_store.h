#pragma once
// LayeredStore is a StateStore composed of layers: the JSON codec and the save rules, encryption
// (StateCipher), the intent journal (StateJournal), a byte backend and a locker. A new backend
// (a database) brings only a StateBackend and a Locker.

#include <memory>
#include <optional>
#include <string>

#include "state/backend.h"
#include "state/encryption.h"
#include "state/journal.h"
#include "state/locker.h"
#include "state/store.h"
#include "state/store_options.h"

namespace stashform::state {

/// LayeredStore decodes what the backend holds (opening it with the cipher, then replaying the
/// journal) and writes states in full by compare-and-swap on the version it loaded. It never
/// overwrites a state it could not read. Append seals one journal record per call; the next Save
/// writes in full and drops the journal.
class LayeredStore : public StateStore {
 public:
  LayeredStore(std::unique_ptr<StateBackend> backend, std::unique_ptr<Locker> locker, StateStoreOptions options = {});
  LayeredStore(const LayeredStore&) = delete;
  LayeredStore& operator=(const LayeredStore&) = delete;

  Result<std::optional<State>> Load() override;
  Status Save(State& state) override;
  bool CanAppend() const override;
  Result<uint64_t> Append(const std::vector<StateChange>& changes) override;
  bool WantsFullSave() const override;
  Locker& locker() override { return *locker_; }
  std::string Describe() const override { return backend_->Describe(); }

  StateBackend& backend() { return *backend_; }

 private:
  Status Refusal() const;
  Status WriteText(const std::string& text, const StateVersion& next, const std::optional<StateVersion>& expected);

  std::unique_ptr<StateBackend> backend_;
  std::unique_ptr<Locker> locker_;
  StateCipher cipher_;
  StateJournal journal_;
  std::string name_;     // the backend's name without folders, for positions: "stashform.state.json:4:13"
  bool loaded_ = false;  // whether stored_ reflects the backend
  // What the backend holds, as last loaded or saved. The text (not a copy of the State) is kept
  // because comparing it is cheap and it costs a third of the memory for a large state.
  struct Stored {
    StateVersion version;
    std::string text;  // plaintext JSON
  };
  std::optional<Stored> stored_;
  std::optional<std::string> unreadable_;  // why the stored state failed to load; Save then refuses
};

}  // namespace stashform::state
