#include "modules/backstage/app_config.h"

#include <algorithm>
#include <map>
#include <optional>

#include "base/digest.h"
#include "modules/backstage/app_config_keys.h"
#include "modules/backstage/yaml_document.h"
#include "modules/resource_answers.h"

namespace stashform::backstage {

using provider::ApplyAction;
using provider::ApplyRequest;
using provider::ApplyResponse;
using provider::ImportResponse;
using provider::PlanRequest;
using provider::PlanResponse;
using provider::ReadRequest;
using provider::ReadResponse;

namespace {

const KeyPath kIntegrationsPath = {"integrations", "bitbucketServer"};

/// The file as a document; `exists` tells a missing file from an empty one.
Result<YamlDocument> Load(ConfigFiles& files, const std::string& path, bool* exists) {
  auto text = files.Read(path);
  if (!text.ok()) return text.status();
  *exists = text->has_value();
  if (!*exists) return YamlDocument();
  return YamlDocument::Parse(**text, path);
}

std::string ScalarAt(const YAML::Node& map, const std::string& key) {
  if (!map.IsMap() || !map[key].IsDefined() || !map[key].IsScalar()) return "";
  return map[key].Scalar();
}

/// The integrations.bitbucketServer entry this resource owns: the one with its host, else (after a
/// hand edit of the host) the one with its apiBaseUrl.
std::optional<YAML::Node> FindIntegration(const YamlDocument& document, const std::vector<std::string>& hosts,
                                          const std::string& api_base_url) {
  auto list = YamlDocument::At(document.root(), kIntegrationsPath);
  if (!list || !list->IsSequence()) return std::nullopt;
  for (const auto& host : hosts)
    for (YAML::Node entry : *list)
      if (!host.empty() && ScalarAt(entry, "host") == host) return entry;
  for (YAML::Node entry : *list)
    if (!api_base_url.empty() && ScalarAt(entry, "apiBaseUrl") == api_base_url) return entry;
  return std::nullopt;
}

std::optional<YAML::Node> FindIntegrationOf(const YamlDocument& document, const Value::Map& attributes) {
  return FindIntegration(document, {StringField(attributes, "host")}, StringField(attributes, "api_base_url"));
}

/// The file's node for `leaf`, or nullopt when it is absent.
std::optional<YAML::Node> Locate(const ManagedLeaf& leaf, const YamlDocument& document,
                                 const std::optional<YAML::Node>& integration) {
  if (leaf.base == LeafBase::kIntegration)
    return integration ? YamlDocument::At(*integration, leaf.path) : std::nullopt;
  return YamlDocument::At(document.root(), leaf.path);
}

/// Sets one leaf in the document (a topic is added to its list, other items kept).
void SetLeaf(const ManagedLeaf& leaf, YamlDocument& document, YAML::Node integration) {
  if (leaf.kind == LeafKind::kTopic) {
    auto topics = YamlDocument::At(document.root(), leaf.path);
    if (!topics || !topics->IsSequence()) {
      YAML::Node list(YAML::NodeType::Sequence);
      list.push_back(leaf.value);
      YamlDocument::Set(document.root(), leaf.path, list);
    } else if (!LeafMatches(leaf, &*topics)) {
      topics->push_back(leaf.value);
    }
    return;
  }
  YamlDocument::Set(leaf.base == LeafBase::kIntegration ? integration : document.root(), leaf.path, leaf.value);
}

/// Removes one leaf (a topic only from its list) and the maps it leaves empty.
void RemoveLeaf(const ManagedLeaf& leaf, YamlDocument& document, const std::optional<YAML::Node>& integration) {
  if (leaf.kind == LeafKind::kTopic) {
    auto topics = YamlDocument::At(document.root(), leaf.path);
    if (!topics || !topics->IsSequence()) return;
    YAML::Node kept(YAML::NodeType::Sequence);
    for (const auto& item : *topics)
      if (!(item.IsScalar() && item.Scalar() == kBitbucketServerTopic)) kept.push_back(item);
    if (kept.size() == 0)
      YamlDocument::Remove(document.root(), leaf.path);
    else
      YamlDocument::Set(document.root(), leaf.path, kept);
    return;
  }
  if (leaf.base == LeafBase::kIntegration) {
    if (integration) YamlDocument::Remove(*integration, leaf.path);
    return;
  }
  YamlDocument::Remove(document.root(), leaf.path);
}

/// The entry to write the integration keys into: the one owned before, else a new one at the end.
YAML::Node IntegrationToWrite(YamlDocument& document, const Value::Map& prior, const Value::Map& planned) {
  auto found = FindIntegration(document, {StringField(prior, "host"), StringField(planned, "host")},
                               StringField(prior, "api_base_url"));
  if (found) return *found;
  auto list = YamlDocument::At(document.root(), kIntegrationsPath);
  if (!list || !list->IsSequence()) {
    YamlDocument::Set(document.root(), kIntegrationsPath, YAML::Node(YAML::NodeType::Sequence));
    list = YamlDocument::At(document.root(), kIntegrationsPath);
  }
  list->push_back(YAML::Node(YAML::NodeType::Map));
  return (*list)[list->size() - 1];
}

/// Drops integration entries left empty, then the list when nothing is left in it.
void DropEmptyIntegrations(YamlDocument& document) {
  auto list = YamlDocument::At(document.root(), kIntegrationsPath);
  if (!list || !list->IsSequence()) return;
  YAML::Node kept(YAML::NodeType::Sequence);
  for (const auto& entry : *list)
    if (!(entry.IsMap() && entry.size() == 0)) kept.push_back(entry);
  if (kept.size() == list->size()) return;
  if (kept.size() == 0)
    YamlDocument::Remove(document.root(), kIntegrationsPath);
  else
    YamlDocument::Set(document.root(), kIntegrationsPath, kept);
}

Value::Map StateAttributes(const Value::Map& planned) {
  Value::Map out;
  for (const auto& attr : AppConfigSchema().attributes) {
    auto it = planned.find(attr.name);
    if (it != planned.end()) out[attr.name] = ValueForState(attr, it->second);
  }
  return out;
}

std::string Where(const std::string& path) { return "backstage.app_config " + path; }

}  // namespace

namespace {

std::string PathOf(const ReadRequest& request) {
  return request.id.empty() ? StringField(request.prior, "path") : request.id;
}

/// A file as Load found it: parsed, missing, or an error.
struct LoadedFile {
  Result<YamlDocument> document;
  bool exists = false;
};

LoadedFile LoadFile(ConfigFiles& files, const std::string& path) {
  LoadedFile file{YamlDocument(), false};
  file.document = Load(files, path, &file.exists);
  return file;
}

ReadResponse ReadFrom(const ReadRequest& request, const LoadedFile& file) {
  if (!file.document.ok()) return modules::FailedRead(file.document.message());
  if (!file.exists) return modules::GoneResponse();
  const YamlDocument& document = *file.document;
  auto integration = FindIntegrationOf(document, request.prior);
  ReadResponse response;
  response.attributes = request.prior;
  bool any_present = false;
  for (const auto& leaf : ManagedLeaves(request.prior)) {
    auto node = Locate(leaf, document, integration);
    const YAML::Node* found = node ? &*node : nullptr;
    any_present = any_present || (found && (leaf.kind != LeafKind::kTopic || LeafMatches(leaf, found)));
    if (LeafMatches(leaf, found)) continue;
    // Drift key by key: the attribute takes what the file now says, and the note names the key.
    response.attributes[leaf.attribute] = DecodeLeaf(leaf, found);
    response.notes.push_back(leaf.Describe(StringField(request.prior, "host")) +
                             (found ? " changed in the file" : " removed from the file"));
  }
  if (!any_present) return modules::GoneResponse();
  return response;
}

}  // namespace

ReadResponse AppConfigType::Read(const ReadRequest& request) { return ReadFrom(request, LoadFile(files_, PathOf(request))); }

std::vector<ReadResponse> AppConfigType::ReadMany(const std::vector<ReadRequest>& requests, const provider::ReadDone& done) {
  std::map<std::string, LoadedFile> files;
  std::vector<ReadResponse> responses;
  responses.reserve(requests.size());
  for (const auto& request : requests) {
    const std::string path = PathOf(request);
    auto loaded = files.find(path);
    if (loaded == files.end()) loaded = files.emplace(path, LoadFile(files_, path)).first;
    responses.push_back(ReadFrom(request, loaded->second));
    provider::ReportRead(done, responses.size() - 1, responses.back());
  }
  return responses;
}

namespace {

/// "bitbucket.example.com:7990" of "https://bitbucket.example.com:7990/context/rest/api/1.0".
std::string AuthorityOf(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  std::string rest = url.substr(scheme + 3);
  return rest.substr(0, rest.find('/'));
}

/// host, when the config leaves it out, is api_base_url's (known when that one is).
void PlanHost(const PlanRequest& request, Value::Map& planned, Diagnostics& diagnostics) {
  auto own = request.proposed.find("host");
  if (own != request.proposed.end() && !own->second.is_null()) return;
  auto url = planned.find("api_base_url");
  if (url == planned.end() || url->second.is_null()) {
    diagnostics.Error({}, "", "set host or api_base_url", "host = \"bitbucket.example.com:7990\"");
  } else if (url->second.is_string()) {
    Value host(AuthorityOf(url->second.as_string()));
    if (url->second.sensitive()) host.MarkSensitive();
    planned["host"] = host;
  } else {
    planned["host"] = Value::UnknownValue();
  }
}

}  // namespace

PlanResponse AppConfigType::Plan(const PlanRequest& request) {
  PlanResponse response = provider::PlanBySchema(schema(), request);
  PlanHost(request, response.planned, response.diagnostics);
  const Value::Map& planned = response.planned;
  const std::string host = StringField(planned, "host");
  const std::string catalog_host = StringField(planned, "catalog_host");
  if (catalog_host.empty() || host.empty() || catalog_host == host) return response;
  // Backstage refuses a catalog provider whose host no integration has (an InputError at start).
  bool exists = false;
  auto document = Load(files_, StringField(planned, "path"), &exists);
  if (document.ok() && FindIntegration(*document, {catalog_host}, "")) return response;
  response.diagnostics.Error({}, "", "catalog_host \"" + catalog_host + "\" matches no integrations.bitbucketServer host",
                             "set catalog_host to host (\"" + host + "\"), or leave it unset");
  return response;
}

ApplyResponse AppConfigType::Apply(const ApplyRequest& request) {
  if (request.action == ApplyAction::kDelete) return Delete(request);
  return Write(request);
}

ApplyResponse AppConfigType::Write(const ApplyRequest& request) {
  const std::string path = StringField(request.planned, "path");
  bool exists = false;
  auto document = Load(files_, path, &exists);
  if (!document.ok()) return modules::FailedApply(document.message());
  const Value::Map no_prior;
  const Value::Map& prior = request.action == ApplyAction::kUpdate ? request.prior : no_prior;
  YAML::Node integration = IntegrationToWrite(*document, prior, request.planned);
  const std::vector<ManagedLeaf> planned = ManagedLeaves(request.planned);
  // Keys owned before and not now go; keys the user wrote by hand were never owned and stay.
  for (const auto& old : ManagedLeaves(prior)) {
    bool kept = std::any_of(planned.begin(), planned.end(), [&](const ManagedLeaf& leaf) { return leaf.SameKey(old); });
    if (!kept) RemoveLeaf(old, *document, integration);
  }
  for (const auto& leaf : planned) {
    if (leaf.value_known) {
      SetLeaf(leaf, *document, integration);
      continue;
    }
    // A literal secret known only by its digest: the file must still hold that value.
    auto node = Locate(leaf, *document, integration);
    if (!LeafMatches(leaf, node ? &*node : nullptr))
      return modules::FailedApply(Where(path) + ": " + leaf.attribute +
                                  " is not known here (state keeps only its digest) and the file no longer holds it; "
                                  "run plan and apply again with the config that sets it");
  }
  DropEmptyIntegrations(*document);
  if (Status written = files_.Write(path, document->Emit()); !written.ok())
    return modules::FailedApply(Where(path) + ": " + written.message());
  ApplyResponse response;
  response.id = path;
  response.attributes = StateAttributes(request.planned);
  return response;
}

ApplyResponse AppConfigType::Delete(const ApplyRequest& request) {
  const std::string path = request.id.empty() ? StringField(request.prior, "path") : request.id;
  bool exists = false;
  auto document = Load(files_, path, &exists);
  if (!document.ok()) return modules::FailedApply(document.message());
  if (!exists) return modules::DeleteAnswer(Status::Ok(), path);
  auto integration = FindIntegrationOf(*document, request.prior);
  for (const auto& leaf : ManagedLeaves(request.prior)) RemoveLeaf(leaf, *document, integration);
  DropEmptyIntegrations(*document);
  // A file that held only stashform's keys goes with them; one with the user's keys stays.
  Status status = document->root().size() == 0 ? files_.Remove(path) : files_.Write(path, document->Emit());
  if (!status.ok()) return modules::FailedApply(Where(path) + ": " + status.message());
  return modules::DeleteAnswer(Status::Ok(), path);
}

namespace {

/// The first key of the map at `path`, or "".
std::string FirstKey(const YamlDocument& document, const KeyPath& path) {
  auto map = YamlDocument::At(document.root(), path);
  if (!map || !map->IsMap() || map->size() == 0) return "";
  return map->begin()->first.Scalar();
}

/// Every attribute set, so that ManagedLeaves names every key a file may hold for them.
Value::Map EveryKeyOf(const YamlDocument& document, const std::string& path, const std::string& host) {
  Value::Map every;
  for (const auto& attr : AppConfigSchema().attributes) {
    if (attr.type == AttrType::kInt) every[attr.name] = Value(1);
    if (attr.type == AttrType::kBool) every[attr.name] = Value(true);
    if (attr.type == AttrType::kString) every[attr.name] = Value(attr.default_value.is_string() ? attr.default_value.as_string() : "x");
  }
  every["path"] = Value(path);
  every["host"] = Value(host);
  every["secrets"] = Value("literal");
  std::string provider_id = FirstKey(document, {"catalog", "providers", "bitbucketServer"});
  every["provider_id"] = Value(provider_id.empty() ? "default" : provider_id);
  std::string environment = FirstKey(document, {"auth", "providers", "bitbucketServer"});
  every["auth_environment"] = Value(environment.empty() ? "development" : environment);
  return every;
}

}  // namespace

ImportResponse AppConfigType::Import(const std::string& id) {
  bool exists = false;
  auto document = Load(files_, id, &exists);
  if (!document.ok()) return modules::FailedImport(document.message());
  auto list = YamlDocument::At(document->root(), kIntegrationsPath);
  if (!exists || !list || !list->IsSequence() || list->size() == 0) return {};
  YAML::Node integration = (*list)[0];
  const std::string host = ScalarAt(integration, "host");
  const Value::Map every = EveryKeyOf(*document, id, host);
  Value::Map attributes{{"path", Value(id)},
                        {"provider_id", every.at("provider_id")},
                        {"auth_environment", every.at("auth_environment")}};
  for (const auto& leaf : ManagedLeaves(every)) {
    auto node = Locate(leaf, *document, integration);
    Value value = DecodeLeaf(leaf, node ? &*node : nullptr);
    bool host_copy = (leaf.attribute == "catalog_host" || leaf.attribute == "auth_host") && value == Value(host);
    if (!value.is_null() && !host_copy) attributes[leaf.attribute] = value;
  }
  return modules::FoundResponse(id, std::move(attributes));
}

// A file has no second copy to fear: a create merges the managed keys into whatever file is at the
// path, entry by entry (the integration by its host), and keeps every other key. Adopting the file
// instead would take the first integration in it for ours, even one the user wrote for another
// server, and rewrite it. So the lookup before a create finds nothing; `stashform import` still
// adopts a hand-written file on purpose.
ImportResponse AppConfigType::Find(const Value::Map& natural_key) {
  (void)natural_key;
  return {};
}

}  // namespace stashform::backstage
