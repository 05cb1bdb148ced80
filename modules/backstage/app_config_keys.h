#pragma once
// Which YAML keys a backstage.app_config writes for which attribute: the one table that ties the
// resource's flat attributes to Backstage's config keys (platforms.md §4.1–4.4). Reading, writing
// and drift all walk this table, so a key is named once.

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "base/value.h"
#include "modules/backstage/yaml_document.h"

namespace stashform::backstage {

/// Where a leaf's path starts: inside the managed `integrations.bitbucketServer[]` entry, or at
/// the top of the file.
enum class LeafBase { kIntegration, kRoot };

/// How a leaf's value is written and read back.
enum class LeafKind {
  kString,
  kInt,
  kBool,
  kSecret,  // `${ENV}` by default; literally when `secrets = "literal"`; compared by digest
  kTopic,   // one item of a list (events.http.topics), present or not
};

/// ManagedLeaf is one key stashform owns in the file, with the value it should hold.
struct ManagedLeaf {
  std::string attribute;  // the attribute it comes from
  LeafBase base = LeafBase::kRoot;
  KeyPath path;           // from the base
  LeafKind kind = LeafKind::kString;
  YAML::Node value;       // what to write, when value_known
  std::string digest;     // a literal secret's digest (SecretDigest)
  bool value_known = true;  // false for a literal secret that only its digest tells

  /// "integrations.bitbucketServer[host].token" or "catalog.providers...": the key in messages.
  std::string Describe(const std::string& integration_host) const;
  /// Whether two leaves are the same key of the file.
  bool SameKey(const ManagedLeaf& other) const { return base == other.base && path == other.path; }
};

/// The leaves a resource with these attributes owns, in the order they are written. Unset
/// attributes own no key: a key the user wrote there by hand stays theirs.
std::vector<ManagedLeaf> ManagedLeaves(const Value::Map& attributes);

/// Whether the file's `node` holds what `leaf` says (absent nodes are nullptr).
bool LeafMatches(const ManagedLeaf& leaf, const YAML::Node* node);

/// The attribute value a file's `node` stands for (null when absent); secrets as their digest.
Value DecodeLeaf(const ManagedLeaf& leaf, const YAML::Node* node);

/// `events.http.topics` and the topic the events backend routes Bitbucket Server webhooks by.
const KeyPath& TopicsPath();
inline constexpr const char* kBitbucketServerTopic = "bitbucketServer";

}  // namespace stashform::backstage
