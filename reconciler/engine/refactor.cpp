#include "reconciler/engine/refactor.h"

#include "reconciler/engine/planner.h"

namespace stashform::engine {

namespace {

void Move(const dsl::MovedBlock& moved, state::State& state, Diagnostics& diagnostics, std::vector<std::string>& notes) {
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
}

void Import(const dsl::ImportBlock& import, const dsl::Config& config, state::State& state, const Servers& servers,
            Diagnostics& diagnostics, std::vector<std::string>& notes) {
  if (state.Find(import.to)) return;  // imported before; the block can stay in config
  const auto* block = config.FindResource(import.to);
  if (!block) {
    diagnostics.Error(import.pos, "import", import.to.ToString() + " is not declared", "declare the block to import into");
    return;
  }
  provider::ResourceType* type = servers.Type(block->server, import.to.type);
  if (!type) return;
  auto found = type->Import(import.id);
  diagnostics.Append(found.diagnostics);
  if (!found.found) {
    if (!found.diagnostics.HasErrors())
      diagnostics.Error(import.pos, "import", "no " + import.to.type + " \"" + import.id + "\" on server \"" +
                                                  block->server + "\"");
    return;
  }
  state::ResourceState resource;
  resource.address = import.to;
  resource.server = block->server;
  resource.id = found.id;
  resource.attributes = NormalizedAttributes(type->schema(), found.attributes);
  state.Upsert(std::move(resource));
  notes.push_back(import.to.ToString() + " will be imported (id " + found.id + ")");
}

void Forget(const dsl::RemovedBlock& removed, const dsl::Config& config, state::State& state,
            Diagnostics& diagnostics, std::vector<std::string>& notes) {
  if (removed.destroy || !state.Find(removed.from)) return;
  if (config.FindResource(removed.from)) {
    diagnostics.Error(removed.pos, "removed", removed.from.ToString() + " is still declared",
                      "delete its block, or the removed block");
    return;
  }
  state.Remove(removed.from);
  notes.push_back(removed.from.ToString() + " will no longer be managed; the remote object stays");
}

}  // namespace

std::vector<std::string> ApplyRefactorings(const dsl::Config& config, state::State& state, const Servers& servers,
                                           Diagnostics& diagnostics) {
  std::vector<std::string> notes;
  for (const auto& moved : config.moved) Move(moved, state, diagnostics, notes);
  for (const auto& import : config.imports) Import(import, config, state, servers, diagnostics, notes);
  for (const auto& removed : config.removed) Forget(removed, config, state, diagnostics, notes);
  // A block written with lifecycle.destroy = false leaves its object behind when it goes.
  std::vector<ResourceAddress> kept;
  for (const auto& resource : state.resources)
    if (resource.keep_on_removal && !config.FindResource(resource.address)) kept.push_back(resource.address);
  for (const auto& address : kept) {
    state.Remove(address);
    notes.push_back(address.ToString() + " will no longer be managed; lifecycle.destroy = false keeps the remote object");
  }
  return notes;
}

}  // namespace stashform::engine
