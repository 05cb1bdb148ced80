#include "reconciler/engine/discovery.h"

#include <map>

namespace stashform::engine {

namespace {

std::string Text(const Value::Map& attributes, const std::string& key) {
  auto it = attributes.find(key);
  return it != attributes.end() && it->second.is_string() ? it->second.as_string() : "";
}

/// The fields an ignore rule's patterns are matched against.
std::map<std::string, std::string> Fields(const std::string& type, const provider::UnmanagedObject& object) {
  std::string repository = Text(object.attributes, "project");
  if (!Text(object.attributes, "repository").empty()) repository += "/" + Text(object.attributes, "repository");
  return {{"type", type},
          {"repository", repository},
          {"name", Text(object.attributes, "name")},
          {"url", Text(object.attributes, "url")}};
}

bool Ignored(const std::vector<dsl::UnmanagedIgnore>& rules, const std::string& type,
             const provider::UnmanagedObject& object) {
  if (rules.empty()) return false;
  const auto fields = Fields(type, object);
  for (const auto& rule : rules) {
    bool all = true;
    for (const auto& [key, pattern] : rule.patterns) {
      auto field = fields.find(key);
      all = all && field != fields.end() && GlobMatch(pattern, field->second);
    }
    if (all) return true;
  }
  return false;
}

}  // namespace

bool GlobMatch(const std::string& pattern, const std::string& text) {
  // Iterative wildcard match: on a mismatch, the last `*` takes one more character.
  size_t p = 0, t = 0, star = std::string::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p, ++t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Discovery DiscoverUnmanaged(const state::State& state, const Servers& servers,
                            const std::vector<dsl::UnmanagedIgnore>& ignore) {
  Discovery discovery;
  std::map<std::pair<std::string, std::string>, std::vector<provider::ReadRequest>> groups;
  for (const auto& resource : state.resources)
    groups[{resource.server, resource.address.type}].push_back({resource.id, resource.attributes});
  for (const auto& [key, managed] : groups) {
    provider::ResourceType* type = servers.Type(key.first, key.second);
    if (!type) continue;
    for (auto& object : type->ListUnmanaged(managed, discovery.diagnostics)) {
      if (Ignored(ignore, key.second, object)) {
        ++discovery.ignored;
        continue;
      }
      discovery.objects.push_back({key.first, key.second, object.id, object.description, object.detached_stack});
    }
  }
  return discovery;
}

}  // namespace stashform::engine
