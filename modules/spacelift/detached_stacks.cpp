// Discovery for `stashform drift`: stacks a deleted integration left detached that no config binds.

#include <fmt/format.h>

#include <set>

#include "modules/spacelift/stack_binding.h"
#include "modules/spacelift/stacks_data_source.h"

namespace stashform::spacelift {

std::vector<provider::UnmanagedObject> StackBindingType::ListUnmanaged(const std::vector<provider::ReadRequest>& managed,
                                                                       Diagnostics& diagnostics) {
  std::set<std::string> bound;
  for (const auto& request : managed) bound.insert(request.id);
  auto stacks = ReadStacks(api_, {{"detached", Value(true)}});
  if (!stacks.ok()) {
    diagnostics.Error({}, "", stacks.message());
    return {};
  }
  std::vector<provider::UnmanagedObject> found;
  for (const auto& stack : stacks->as_list()) {
    const auto& fields = stack.as_map();
    auto text = [&](const char* key) {
      auto it = fields.find(key);
      return it != fields.end() && it->second.is_string() ? it->second.as_string() : std::string();
    };
    if (bound.count(text("id"))) continue;
    found.push_back({text("id"),
                     fmt::format("stack \"{}\" ({}/{}) is detached: its integration was deleted and no config binds it",
                                 text("name"), text("namespace"), text("repository")),
                     fields, /*detached_stack=*/true});
  }
  return found;
}

}  // namespace stashform::spacelift
