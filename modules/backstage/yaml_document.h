#pragma once
// YamlDocument is an app-config file held as a yaml-cpp tree: read a leaf at a key path, set or
// remove one, and write the whole tree back in its own key order. It never touches the disk
// (config_files.h does) and knows nothing of which keys stashform manages (app_config_keys.h).

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace stashform::backstage {

using KeyPath = std::vector<std::string>;

/// "a.b.c" for messages and notes.
std::string JoinKeyPath(const KeyPath& path);

/// YamlDocument is one parsed YAML file; keys outside those set or removed keep their place.
class YamlDocument {
 public:
  YamlDocument();  // an empty mapping
  /// Parses `text` (empty text is an empty document); `file` names the file in errors.
  static Result<YamlDocument> Parse(const std::string& text, const std::string& file);

  YAML::Node root() const { return root_; }
  /// The node at `path` under `from`, or nullopt when a key on the way is missing.
  static std::optional<YAML::Node> At(YAML::Node from, const KeyPath& path);
  /// Sets `value` at `path` under `from`, making maps on the way (replacing a scalar on the way).
  static void Set(YAML::Node from, const KeyPath& path, const YAML::Node& value);
  /// Removes the leaf at `path` under `from`, then every map on the way that it left empty.
  static void Remove(YAML::Node from, const KeyPath& path);

  /// The document as YAML text. Strings that a reader would take for a number, a boolean or null
  /// are quoted, so that "30" and "true" written as strings stay strings.
  std::string Emit() const;

 private:
  YAML::Node root_;
};

/// A scalar node holding a string; it is emitted quoted where a plain form would change its type.
YAML::Node StringNode(const std::string& text);

}  // namespace stashform::backstage
