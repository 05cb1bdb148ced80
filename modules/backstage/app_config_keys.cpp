#include "modules/backstage/app_config_keys.h"

#include "base/digest.h"

namespace stashform::backstage {

namespace {

std::string Text(const Value::Map& attributes, const std::string& name, const std::string& fallback = "") {
  std::string text = StringField(attributes, name);
  return text.empty() ? fallback : text;
}

const Value* Known(const Value::Map& attributes, const std::string& name) {
  auto it = attributes.find(name);
  if (it == attributes.end() || it->second.is_null() || it->second.ContainsUnknown()) return nullptr;
  if (it->second.is_string() && it->second.as_string().empty()) return nullptr;
  return &it->second;
}

/// Builds the leaves of one resource, in the order the file shows them.
class LeafList {
 public:
  explicit LeafList(const Value::Map& attributes) : attributes_(attributes) {}

  void Add(const std::string& attribute, LeafBase base, KeyPath path, LeafKind kind) {
    const Value* value = Known(attributes_, attribute);
    if (!value) return;
    ManagedLeaf leaf{attribute, base, std::move(path), kind, {}, "", true};
    switch (kind) {
      case LeafKind::kString: leaf.value = StringNode(value->is_string() ? value->as_string() : value->Render()); break;
      case LeafKind::kInt: leaf.value = YAML::Node(value->is_int() ? value->as_int() : 0); break;
      case LeafKind::kBool:
        if (!value->is_bool()) return;
        leaf.value = YAML::Node(value->as_bool());
        break;
      case LeafKind::kTopic:
        if (!value->is_bool() || !value->as_bool()) return;
        leaf.value = StringNode(kBitbucketServerTopic);
        break;
      case LeafKind::kSecret: SetSecret(leaf, *value); break;
    }
    leaves_.push_back(std::move(leaf));
  }

  /// A string leaf whose value falls back to another attribute (the catalog's host to the
  /// integration's).
  void AddOr(const std::string& attribute, const std::string& fallback, LeafBase base, KeyPath path) {
    const Value* own = Known(attributes_, attribute);
    const Value* value = own ? own : Known(attributes_, fallback);
    if (!value || !value->is_string()) return;
    leaves_.push_back({attribute, base, std::move(path), LeafKind::kString, StringNode(value->as_string()), "", true});
  }

  std::vector<ManagedLeaf> Take() { return std::move(leaves_); }

 private:
  void SetSecret(ManagedLeaf& leaf, const Value& value) {
    const std::string secret = value.is_string() ? value.as_string() : "";
    if (Text(attributes_, "secrets", "env") != "literal") {
      leaf.value = StringNode("${" + Text(attributes_, EnvAttributeOf(leaf.attribute)) + "}");
    } else if (IsSecretDigest(secret)) {
      leaf.digest = secret;  // state keeps only the digest; the file's value is checked against it
      leaf.value_known = false;
    } else {
      leaf.value = StringNode(secret);
      leaf.digest = SecretDigest(secret);
    }
  }

  static std::string EnvAttributeOf(const std::string& secret_attribute) {
    if (secret_attribute == "token") return "token_env";
    if (secret_attribute == "password") return "password_env";
    return "client_secret_env";
  }

  const Value::Map& attributes_;
  std::vector<ManagedLeaf> leaves_;
};

}  // namespace

std::string ManagedLeaf::Describe(const std::string& integration_host) const {
  std::string key = JoinKeyPath(path);
  if (base == LeafBase::kIntegration) return "integrations.bitbucketServer[host=" + integration_host + "]." + key;
  if (kind == LeafKind::kTopic) return key + "[" + kBitbucketServerTopic + "]";
  return key;
}

const KeyPath& TopicsPath() {
  static const KeyPath kPath = {"events", "http", "topics"};
  return kPath;
}

std::vector<ManagedLeaf> ManagedLeaves(const Value::Map& a) {
  LeafList leaves(a);
  const auto I = LeafBase::kIntegration;
  const auto R = LeafBase::kRoot;
  // integrations.bitbucketServer[]: one entry, found by its host (platforms.md §4.1).
  leaves.Add("host", I, {"host"}, LeafKind::kString);
  leaves.Add("api_base_url", I, {"apiBaseUrl"}, LeafKind::kString);
  leaves.Add("token", I, {"token"}, LeafKind::kSecret);
  leaves.Add("username", I, {"username"}, LeafKind::kString);
  leaves.Add("password", I, {"password"}, LeafKind::kSecret);
  leaves.Add("throttling_count", I, {"throttling", "count"}, LeafKind::kInt);
  leaves.Add("throttling_interval_seconds", I, {"throttling", "interval", "seconds"}, LeafKind::kInt);
  // catalog.providers.bitbucketServer.<id> (§4.2).
  const KeyPath provider = {"catalog", "providers", "bitbucketServer", Text(a, "provider_id", "default")};
  const auto under = [](KeyPath base, std::initializer_list<std::string> rest) {
    base.insert(base.end(), rest);
    return base;
  };
  leaves.AddOr("catalog_host", "host", R, under(provider, {"host"}));
  leaves.Add("catalog_path", R, under(provider, {"catalogPath"}), LeafKind::kString);
  leaves.Add("project_key_pattern", R, under(provider, {"filters", "projectKey"}), LeafKind::kString);
  leaves.Add("repo_slug_pattern", R, under(provider, {"filters", "repoSlug"}), LeafKind::kString);
  leaves.Add("skip_archived_repos", R, under(provider, {"filters", "skipArchivedRepos"}), LeafKind::kBool);
  leaves.Add("branch", R, under(provider, {"filters", "branch"}), LeafKind::kString);
  leaves.Add("schedule_frequency_minutes", R, under(provider, {"schedule", "frequency", "minutes"}), LeafKind::kInt);
  leaves.Add("schedule_timeout_minutes", R, under(provider, {"schedule", "timeout", "minutes"}), LeafKind::kInt);
  leaves.Add("schedule_initial_delay_seconds", R, under(provider, {"schedule", "initialDelay", "seconds"}), LeafKind::kInt);
  // events.http.topics: [bitbucketServer] (§4.3).
  leaves.Add("events", R, TopicsPath(), LeafKind::kTopic);
  // auth.providers.bitbucketServer.<environment> (§4.4), only with a client id.
  if (Known(a, "auth_client_id")) {
    const KeyPath auth = {"auth", "providers", "bitbucketServer", Text(a, "auth_environment", "development")};
    leaves.AddOr("auth_host", "host", R, under(auth, {"host"}));
    leaves.Add("auth_client_id", R, under(auth, {"clientId"}), LeafKind::kString);
    leaves.Add("auth_client_secret", R, under(auth, {"clientSecret"}), LeafKind::kSecret);
  }
  return leaves.Take();
}

namespace {

bool SequenceHolds(const YAML::Node& sequence, const std::string& item) {
  if (!sequence.IsSequence()) return false;
  for (const auto& entry : sequence)
    if (entry.IsScalar() && entry.Scalar() == item) return true;
  return false;
}

}  // namespace

bool LeafMatches(const ManagedLeaf& leaf, const YAML::Node* node) {
  if (leaf.kind == LeafKind::kTopic) return node && SequenceHolds(*node, kBitbucketServerTopic);
  if (!node || !node->IsScalar()) return false;
  const std::string& text = node->Scalar();
  if (leaf.kind == LeafKind::kSecret && !leaf.value_known) return SecretDigest(text) == leaf.digest;
  return text == leaf.value.Scalar();
}

Value DecodeLeaf(const ManagedLeaf& leaf, const YAML::Node* node) {
  if (leaf.kind == LeafKind::kTopic) return Value(node != nullptr && SequenceHolds(*node, kBitbucketServerTopic));
  if (!node) return Value();
  if (!node->IsScalar()) return Value("(" + std::string(node->IsMap() ? "a mapping" : "a list") + ")");
  const std::string& text = node->Scalar();
  switch (leaf.kind) {
    case LeafKind::kInt: {
      int64_t number = 0;
      if (YAML::convert<int64_t>::decode(*node, number)) return Value(number);
      return Value(text);
    }
    case LeafKind::kBool: {
      bool flag = false;
      if (YAML::convert<bool>::decode(*node, flag)) return Value(flag);
      return Value(text);
    }
    case LeafKind::kSecret: return Value::Sensitive(Value(SecretDigest(text)));
    default: return Value(text);
  }
}

}  // namespace stashform::backstage
