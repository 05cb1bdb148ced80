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

}  // namespace

void CheckDuplicateNaturalKeys(const Config& config, const std::vector<const ResourceSchema*>& schemas,
                               Diagnostics& diagnostics) {
  std::map<std::string, const ResourceSchema*> schema_of;
  for (const auto* schema : schemas) schema_of[schema->type] = schema;
  std::map<std::string, const ResourceBlock*> first_with_key;
  for (const auto& block : config.resources) {
    auto found = schema_of.find(block.address.type);
    const ResourceSchema* schema = found == schema_of.end() ? nullptr : found->second;
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
