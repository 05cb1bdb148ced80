#include "dsl/duplicate_keys.h"

#include <map>
#include <optional>
#include <string>

namespace stashform::dsl {

namespace {

SourcePos UsersLine(const ResourceBlock& block) { return block.call_site.known() ? block.call_site : block.pos; }

// `name "ci", url "https://…"` — sensitive parts stay masked: the message is printed.
std::string DescribeKey(const ResourceSchema& schema, const ResourceBlock& block) {
  std::string out;
  for (const auto& name : schema.natural_key) {
    auto it = block.attributes.find(name);
    if (it == block.attributes.end() || it->second.is_null()) continue;
    out += (out.empty() ? "" : ", ") + name + " " + it->second.Render();
  }
  return out;
}

// The key as comparable text, or nothing when a part is known only at apply.
std::optional<std::string> KnownKey(const ResourceSchema& schema, const ResourceBlock& block) {
  std::string key = block.server;
  for (const auto& name : schema.natural_key) {
    auto it = block.attributes.find(name);
    Value value = it == block.attributes.end() ? Value() : it->second;
    if (value.is_unknown() || value.is_reference() || value.is_concat()) return std::nullopt;
    if (!value.is_null() && !value.is_string() && !value.is_list()) return std::nullopt;
    key += '\0' + name + '=' + value.RenderRevealed();
  }
  return key;
}

// The last of `schemas` with that type, as an index by type would keep it.
const ResourceSchema* SchemaOfType(const std::vector<const ResourceSchema*>& schemas, const std::string& type) {
  for (auto it = schemas.rbegin(); it != schemas.rend(); ++it)
    if ((*it)->type == type) return *it;
  return nullptr;
}

}  // namespace

void CheckDuplicateNaturalKeys(const Config& config, const std::vector<const ResourceSchema*>& schemas,
                               Diagnostics& diagnostics) {
  // Indexes only the types the config declares: an index of every registered schema cost more
  // than the check itself for a small config.
  std::map<std::string, const ResourceSchema*> schema_of;
  std::map<std::string, const ResourceBlock*> first_with_key;
  for (const auto& block : config.resources) {
    auto [found, first_of_type] = schema_of.try_emplace(block.address.type, nullptr);
    if (first_of_type) found->second = SchemaOfType(schemas, block.address.type);
    const ResourceSchema* schema = found->second;
    if (!schema || schema->natural_key.empty()) continue;
    auto key = KnownKey(*schema, block);
    if (!key) continue;
    auto [it, inserted] = first_with_key.emplace(block.address.type + '\0' + *key, &block);
    if (inserted) continue;
    const ResourceBlock& first = *it->second;
    diagnostics.Error(UsersLine(block), block.address.ToString(),
                      "has the same " + DescribeKey(*schema, block) + " as " + first.address.ToString() + " (" +
                          UsersLine(first).ToString() + "): both would manage one object on server \"" +
                          block.server + "\"",
                      "change one of them, or remove one block");
  }
}

}  // namespace stashform::dsl
