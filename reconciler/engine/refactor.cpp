#include "reconciler/engine/refactor.h"

#include "reconciler/engine/planner.h"

namespace stashform::engine {

namespace {

void Move(const dsl::MovedBlock& moved, state::State& state, Diagnostics& diagnostics, std::vector<std::string>& notes,
          std::vector<StateEdit>& edits) {
  const auto* from = state.Find(moved.from);
  if (!from) return;  // moved already, or never created
  if (state.Find(moved.to)) {
    diagnostics.Error(moved.pos, "moved", "both " + moved.from.ToString() + " and " + moved.to.ToString() +
                                              " are in the state", "remove one with \"stashform state rm\" first");
    return;
  }
  state::ResourceState renamed = *from;
  renamed.address = moved.to;
  state.Remove(moved.from);
  state.Upsert(std::move(renamed));
  notes.push_back(moved.from.ToString() + " has moved to " + moved.to.ToString());
  edits.push_back({StateEdit::Kind::kMove, moved.from, moved.to, "", ""});
}

/// Reads the object `id` from its server and records it at `to`; false (with a diagnostic) when
/// it is not there.
bool Adopt(const ResourceAddress& to, const std::string& server, const std::string& id, SourcePos pos,
           state::State& state, const Servers& servers, Diagnostics& diagnostics) {
  provider::ResourceType* type = servers.Type(server, to.type);
  if (!type) return false;
  auto found = type->Import(id);
  diagnostics.Append(found.diagnostics);
  if (!found.found) {
    if (!found.diagnostics.HasErrors())
      diagnostics.Error(pos, "import", "no " + to.type + " \"" + id + "\" on server \"" + server + "\"");
    return false;
  }
  state::ResourceState resource;
  resource.address = to;
  resource.server = server;
  resource.id = found.id;
  resource.attributes = NormalizedAttributes(type->schema(), found.attributes);
  state.Upsert(std::move(resource));
  return true;
}

void Import(const dsl::ImportBlock& import, const dsl::Config& config, state::State& state, const Servers& servers,
            Diagnostics& diagnostics, std::vector<std::string>& notes, std::vector<StateEdit>& edits) {
  if (state.Find(import.to)) return;  // imported before; the block can stay in config
  const auto* block = config.FindResource(import.to);
  if (!block) {
    diagnostics.Error(import.pos, "import", import.to.ToString() + " is not declared", "declare the block to import into");
    return;
  }
  if (!Adopt(import.to, block->server, import.id, import.pos, state, servers, diagnostics)) return;
  edits.push_back({StateEdit::Kind::kImport, {}, import.to, block->server, import.id});
  notes.push_back(import.to.ToString() + " will be imported (id " + state.Find(import.to)->id + ")");
}

void Forget(const dsl::RemovedBlock& removed, const dsl::Config& config, state::State& state,
            Diagnostics& diagnostics, std::vector<std::string>& notes, std::vector<StateEdit>& edits) {
  if (removed.destroy || !state.Find(removed.from)) return;
  if (config.FindResource(removed.from)) {
    diagnostics.Error(removed.pos, "removed", removed.from.ToString() + " is still declared",
                      "delete its block, or the removed block");
    return;
  }
  state.Remove(removed.from);
  edits.push_back({StateEdit::Kind::kForget, removed.from, {}, "", ""});
  notes.push_back(removed.from.ToString() + " will no longer be managed; the remote object stays");
}

}  // namespace

std::vector<std::string> ApplyRefactorings(const dsl::Config& config, state::State& state, const Servers& servers,
                                           Diagnostics& diagnostics, std::vector<StateEdit>* made) {
  std::vector<std::string> notes;
  std::vector<StateEdit> edits;
  for (const auto& moved : config.moved) Move(moved, state, diagnostics, notes, edits);
  for (const auto& import : config.imports) Import(import, config, state, servers, diagnostics, notes, edits);
  for (const auto& removed : config.removed) Forget(removed, config, state, diagnostics, notes, edits);
  // A block written with lifecycle.destroy = false leaves its object behind when it goes.
  std::vector<ResourceAddress> kept;
  for (const auto& resource : state.resources)
    if (resource.keep_on_removal && !config.FindResource(resource.address)) kept.push_back(resource.address);
  for (const auto& address : kept) {
    state.Remove(address);
    edits.push_back({StateEdit::Kind::kForget, address, {}, "", ""});
    notes.push_back(address.ToString() + " will no longer be managed; lifecycle.destroy = false keeps the remote object");
  }
  if (made) *made = std::move(edits);
  return notes;
}

void ReplayStateEdits(const std::vector<StateEdit>& edits, state::State& state, const Servers& servers,
                      Diagnostics& diagnostics) {
  std::vector<std::string> notes;
  std::vector<StateEdit> replayed;
  for (const auto& edit : edits) {
    switch (edit.kind) {
      case StateEdit::Kind::kMove: Move({edit.from, edit.to, {}}, state, diagnostics, notes, replayed); break;
      case StateEdit::Kind::kImport:
        if (!state.Find(edit.to)) Adopt(edit.to, edit.server, edit.id, {}, state, servers, diagnostics);
        break;
      case StateEdit::Kind::kForget: state.Remove(edit.from); break;
    }
  }
}

}  // namespace stashform::engine
