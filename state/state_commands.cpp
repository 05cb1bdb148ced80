#include "state/state_commands.h"

#include "state/masking.h"

namespace stashform::state {

Status MoveResource(State& state, const ResourceAddress& from, const ResourceAddress& to) {
  const ResourceState* source = state.Find(from);
  if (!source) return Status::Error("no resource " + from.ToString() + " in the state");
  if (from == to) return Status::Ok();
  if (state.Find(to)) return Status::Error("cannot move to " + to.ToString() + ": the state already has it");
  if (from.type != to.type)
    return Status::Error("cannot move " + from.ToString() + " to " + to.ToString() + ": the type differs (" +
                         from.type + " is not " + to.type + ")");
  ResourceState moved = *source;
  moved.address = to;
  state.Remove(from);
  state.Upsert(std::move(moved));
  // Destroy order after the config is gone comes from these, so they must follow the rename.
  std::string old_name = from.ToString(), new_name = to.ToString();
  for (auto& resource : state.resources)
    for (auto& dependency : resource.dependencies)
      if (dependency == old_name) dependency = new_name;
  return Status::Ok();
}

Status RemoveResources(State& state, const std::vector<ResourceAddress>& addresses) {
  std::string missing;
  for (const auto& address : addresses)
    if (!state.Find(address)) missing += (missing.empty() ? "" : ", ") + address.ToString();
  if (!missing.empty()) return Status::Error("no resource " + missing + " in the state; nothing was removed");
  for (const auto& address : addresses) state.Remove(address);
  return Status::Ok();
}

std::string EncodeStateForPull(const State& state, bool show_sensitive) {
  return show_sensitive ? EncodeState(state) : EncodeState(MaskSensitive(state));
}

}  // namespace stashform::state
