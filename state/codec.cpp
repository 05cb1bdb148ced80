// The state file codec: State <-> JSON text, with sensitive marks kept as paths beside the values
// and an upgrade step per older format version.
#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <functional>
#include <optional>

#include "state/codec_paths.h"
#include "state/json_text.h"
#include "state/state.h"
#include "state/value_reader.h"

namespace stashform::state {

namespace json = boost::json;

namespace {

void WriteValue(PrettyWriter& w, const Value& value);

void WriteMap(PrettyWriter& w, const Value::Map& map) {
  w.BeginObject();
  for (const auto& [key, value] : map) {
    w.Key(key);
    WriteValue(w, value);
  }
  w.EndObject();
}

// The value's JSON without its sensitive mark (marks go to the paths beside it); unknown is null.
void WriteValue(PrettyWriter& w, const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kBool: return w.Bool(value.as_bool());
    case Value::Kind::kInt: return w.Int(value.as_int());
    case Value::Kind::kNumber: return w.Json(json::value(value.as_number()));
    case Value::Kind::kString: return w.String(value.as_string());
    case Value::Kind::kList:
      w.BeginArray();
      for (const auto& item : value.as_list()) WriteValue(w, item);
      return w.EndArray();
    case Value::Kind::kMap: return WriteMap(w, value.as_map());
    default: return w.Null();  // null; "known after apply" and config-only kinds never reach state
  }
}

void WriteStrings(PrettyWriter& w, const std::vector<std::string>& items) {
  w.BeginArray();
  for (const auto& item : items) w.String(item);
  w.EndArray();
}

void WriteResource(PrettyWriter& w, const ResourceState& r) {
  w.BeginObject();
  w.Key("address"); w.String(r.address.ToString());
  w.Key("module"); w.String(r.address.module);
  w.Key("type"); w.String(r.address.type);
  w.Key("name"); w.String(r.address.name);
  w.Key("server"); w.String(r.server);
  w.Key("id"); w.String(r.id);
  w.Key("attributes"); WriteMap(w, r.attributes);
  w.Key("sensitive_attributes"); WriteStrings(w, SensitivePaths(r.attributes));
  w.Key("private"); WriteMap(w, r.private_data);
  w.Key("dependencies"); WriteStrings(w, r.dependencies);
  w.Key("prevent_destroy"); w.Bool(r.prevent_destroy);
  w.Key("keep_on_removal"); w.Bool(r.keep_on_removal);
  // Only when set: the files of every other object stay as they were.
  if (r.create_answer_lost) { w.Key("create_answer_lost"); w.Bool(true); }
  w.EndObject();
}

void WriteIntent(PrettyWriter& w, const Intent& intent) {
  w.BeginObject();
  w.Key("address"); w.String(intent.address.ToString());
  w.Key("server"); w.String(intent.server);
  w.Key("natural_key"); WriteMap(w, intent.natural_key);
  w.Key("created_at_ms"); w.Int(intent.created_at_ms);
  w.EndObject();
}

// Reads typed fields of one decoded JSON object, moving out what it returns; errors name the file
// and the JSON path of the field (the values keep no positions past parsing).
class Fields {
 public:
  Fields(Value::Map& object, std::string where, const std::string& file)
      : object_(object), where_(std::move(where)), file_(file) {}

  Status Fail(const std::string& key, const std::string& what) const {
    return Status::Error(file_ + ": " + Path(key) + ": " + what);
  }
  std::string Path(const std::string& key) const { return where_.empty() ? key : where_ + "." + key; }
  Value* Find(const std::string& key) const {
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &it->second;
  }

  Status String(const std::string& key, std::string& out, bool required = true) const {
    Value* v = Find(key);
    if (!v) return required ? Fail(key, "missing") : Status::Ok();
    if (!v->is_string()) return Fail(key, "expected a string");
    out = v->as_string();
    return Status::Ok();
  }
  Status Int(const std::string& key, int64_t& out) const {
    const Value* v = Find(key);
    if (!v) return Fail(key, "missing");
    if (!v->is_int()) return Fail(key, "expected an integer");
    out = v->as_int();
    return Status::Ok();
  }
  Status Bool(const std::string& key, bool& out) const {
    const Value* v = Find(key);
    if (!v) return Status::Ok();
    if (!v->is_bool()) return Fail(key, "expected true or false");
    out = v->as_bool();
    return Status::Ok();
  }
  Status Map(const std::string& key, Value::Map& out) const {
    Value* v = Find(key);
    if (!v || v->is_null()) return Status::Ok();
    if (!v->is_map()) return Fail(key, "expected an object");
    out = std::move(v->as_map());  // a move: the attributes of 100k objects are not copied
    return Status::Ok();
  }
  Status Strings(const std::string& key, std::vector<std::string>& out) const {
    Value* v = Find(key);
    if (!v || v->is_null()) return Status::Ok();
    if (!v->is_list()) return Fail(key, "expected a list of strings");
    out.reserve(v->as_list().size());
    for (auto& item : v->as_list()) {
      if (!item.is_string()) return Fail(key, "expected a list of strings");
      out.push_back(std::move(item.as_string()));
    }
    return Status::Ok();
  }
  Status Address(const std::string& key, ResourceAddress& out) const {
    std::string text;
    if (Status s = String(key, text); !s.ok()) return s;
    auto parsed = ResourceAddress::Parse(text);
    if (!parsed) return Fail(key, "malformed address \"" + text + "\"");
    out = std::move(*parsed);
    return Status::Ok();
  }
  Status SensitivePathsInto(const std::string& key, Value::Map& map) const {
    std::vector<std::string> paths;
    if (Status s = Strings(key, paths); !s.ok()) return s;
    for (const auto& path : paths)
      if (!MarkSensitivePath(map, path)) return Fail(key, "\"" + path + "\" names no value");
    return Status::Ok();
  }

 private:
  Value::Map& object_;
  std::string where_;
  const std::string& file_;
};

// Runs decode steps in order and stops at the first failure.
Status All(std::initializer_list<std::function<Status()>> steps) {
  for (const auto& step : steps)
    if (Status s = step(); !s.ok()) return s;
  return Status::Ok();
}

// module/type/name repeat the address for readers of the file; they must not contradict it.
Status CheckAddressParts(const Fields& f, const ResourceAddress& address) {
  std::string module = address.module, type = address.type, name = address.name;
  Status s = All({[&] { return f.String("module", module, false); },
                  [&] { return f.String("type", type, false); },
                  [&] { return f.String("name", name, false); }});
  if (!s.ok()) return s;
  if (module != address.module || type != address.type || name != address.name)
    return f.Fail("address", "module, type or name contradicts the address");
  return Status::Ok();
}

Result<ResourceState> DecodeResource(const Fields& f) {
  ResourceState r;
  Status s = All({
      [&] { return f.Address("address", r.address); },
      [&] { return CheckAddressParts(f, r.address); },
      [&] { return f.String("server", r.server); },
      [&] { return f.String("id", r.id); },
      [&] { return f.Map("attributes", r.attributes); },
      [&] { return f.SensitivePathsInto("sensitive_attributes", r.attributes); },
      [&] { return f.Map("private", r.private_data); },
      [&] { return f.Strings("dependencies", r.dependencies); },
      [&] { return f.Bool("prevent_destroy", r.prevent_destroy); },
      [&] { return f.Bool("keep_on_removal", r.keep_on_removal); },
      [&] { return f.Bool("create_answer_lost", r.create_answer_lost); },
  });
  if (!s.ok()) return s;
  for (auto& [key, value] : r.private_data) value.MarkSensitive();  // private data is all secret
  return r;
}

Result<Intent> DecodeIntent(const Fields& f) {
  Intent intent;
  Status s = All({
      [&] { return f.Address("address", intent.address); },
      [&] { return f.String("server", intent.server); },
      [&] { return f.Map("natural_key", intent.natural_key); },
      [&] { return f.Int("created_at_ms", intent.created_at_ms); },
  });
  if (!s.ok()) return s;
  return intent;
}

// Decodes item `index` of the list `key` with `decode`.
template <typename T, typename Decode>
Result<T> DecodeItem(const std::string& key, size_t index, Value& item, const std::string& file, Decode decode) {
  std::string where = key + "[" + std::to_string(index) + "]";
  if (!item.is_map()) return Status::Error(file + ": " + where + ": expected an object");
  return decode(Fields(item.as_map(), std::move(where), file));
}

// Decodes each object of the list `key` with `decode`, appending to `out`.
template <typename T, typename Decode>
Status DecodeList(const Fields& top, const std::string& key, const std::string& file, Decode decode,
                  std::vector<T>& out) {
  Value* list = top.Find(key);
  if (!list || list->is_null()) return Status::Ok();
  if (!list->is_list()) return top.Fail(key, "expected a list");
  for (size_t i = 0; i < list->as_list().size(); ++i) {
    Result<T> decoded = DecodeItem<T>(key, i, list->as_list()[i], file, decode);
    if (!decoded.ok()) return decoded.status();
    out.push_back(std::move(*decoded));
  }
  return Status::Ok();
}

bool HeaderIsCurrent(const Value::Map& document) {
  auto format = document.find("format");
  auto version = document.find("version");
  return format != document.end() && format->second.is_string() && format->second.as_string() == State::kFormatName &&
         version != document.end() && version->second.is_int() && version->second.as_int() == State::kFormatVersion;
}

// Decodes the resources while the parser reads them, so that a large state is held once as
// ResourceStates instead of first as Values too. Only when the header before them names the
// current format (as every file stashform writes does); otherwise they stay in the document for
// the upgrade steps. An error waits for its turn: the header's checks and any syntax error come
// first, as when the whole file was parsed before decoding.
class ResourceStream {
 public:
  explicit ResourceStream(const std::string& file)
      : file_(file),
        streamed_{"resources",
                  [this](const Value::Map& document, size_t index, Value& item) { return Take(document, index, item); },
                  [this] { Restart(); }} {}
  const StreamedArray* streamed() const { return &streamed_; }

  // The resources of the file into `out`, or the first error among them.
  Status Finish(const Fields& top, ResourceList& out) {
    Value* list = top.Find("resources");
    if (!list || list->is_null()) return Status::Ok();
    if (!list->is_list()) return top.Fail("resources", "expected a list");
    // Left in the list: not streamed, or past the first bad one.
    for (size_t i = 0; i < list->as_list().size() && error_.ok(); ++i) error_ = Add(taken_ + i, list->as_list()[i]);
    if (!error_.ok()) return error_;
    // Of several repeated addresses the first in address order is named, as a sorted check would.
    if (twin_) return Status::Error(file_ + ": resources: " + twin_->ToString() + " appears twice");
    out = std::move(decoded_);
    return Status::Ok();
  }

 private:
  // A repeated "resources" key: the last list counts, as for any key.
  void Restart() {
    decoded_.clear();
    twin_.reset();
    error_ = Status::Ok();
    taken_ = 0;
  }
  bool Take(const Value::Map& document, size_t index, Value& item) {
    if (index == 0) streaming_ = HeaderIsCurrent(document);  // the document cannot change within the list
    if (!streaming_) return false;
    ++taken_;
    if (error_.ok()) error_ = Add(index, item);
    return true;
  }

  // Straight into the list, which keeps address order: files written by stashform are already in
  // it, so each resource goes at the end in O(1) and nothing is sorted or moved twice.
  Status Add(size_t index, Value& item) {
    Result<ResourceState> decoded = DecodeItem<ResourceState>("resources", index, item, file_, DecodeResource);
    if (!decoded.ok()) return decoded.status();
    ResourceState& resource = *decoded;
    bool in_order = decoded_.empty() || decoded_.back().address < resource.address;
    if (!in_order && decoded_.Find(resource.address)) {
      if (!twin_ || resource.address < *twin_) twin_ = resource.address;
      return Status::Ok();
    }
    decoded_.push_back(std::move(resource));
    return Status::Ok();
  }

  const std::string& file_;
  StreamedArray streamed_;
  ResourceList decoded_;
  std::optional<ResourceAddress> twin_;  // the least address found twice
  size_t taken_ = 0;
  bool streaming_ = false;
  Status error_;
};

// kUpgrades[v - 1] rewrites a version v document as version v + 1; add one per format change.
// A step sees the document with its resources still in it: they stream into ResourceStates only
// when the header names the current format.
using UpgradeStep = Status (*)(Value::Map& document);
constexpr std::array<UpgradeStep, State::kFormatVersion - 1> kUpgrades = {};

Status CheckFormatAndUpgrade(Value::Map& doc, const std::string& file) {
  Fields top(doc, "", file);
  std::string format;
  if (!top.String("format", format).ok() || format != State::kFormatName)
    return Status::Error(file + ": not a stashform state file (expected \"format\": \"" +
                         State::kFormatName + "\")");
  int64_t version = 0;
  if (Status s = top.Int("version", version); !s.ok()) return s;
  if (version > State::kFormatVersion)
    return Status::Error(file + ": state format version " + std::to_string(version) +
                         " is newer than this stashform understands (" +
                         std::to_string(State::kFormatVersion) + "); upgrade stashform");
  if (version < 1) return top.Fail("version", "unknown state format version " + std::to_string(version));
  for (; version < State::kFormatVersion; ++version) {
    if (Status s = kUpgrades[static_cast<size_t>(version) - 1](doc); !s.ok())
      return Status::Error(file + ": upgrading from format version " + std::to_string(version) + ": " +
                           s.message());
    doc["version"] = Value(version + 1);
  }
  return Status::Ok();
}

Result<State> DecodeDocument(Value::Map& doc, ResourceStream& resources, const std::string& file) {
  Fields top(doc, "", file);
  State state;
  int64_t serial = 0;
  Status s = All({
      [&] { return top.String("lineage", state.lineage); },
      [&] { return state.lineage.empty() ? top.Fail("lineage", "empty") : Status::Ok(); },
      [&] { return top.Int("serial", serial); },
      [&] { return serial < 0 ? top.Fail("serial", "negative") : Status::Ok(); },
      [&] { return top.String("tool_version", state.tool_version, false); },
      [&] { return resources.Finish(top, state.resources); },
      [&] { return top.Map("outputs", state.outputs); },
      [&] { return top.SensitivePathsInto("sensitive_outputs", state.outputs); },
      [&] { return DecodeList(top, "intents", file, DecodeIntent, state.intents); },
  });
  if (!s.ok()) return s;
  state.serial = static_cast<uint64_t>(serial);
  return state;
}

constexpr std::array<std::pair<StateChange::Kind, const char*>, 4> kChangeNames = {{
    {StateChange::Kind::kUpsert, "upsert"},
    {StateChange::Kind::kRemove, "remove"},
    {StateChange::Kind::kAddIntent, "intent"},
    {StateChange::Kind::kRemoveIntent, "intent_done"},
}};

void WriteChange(PrettyWriter& w, const StateChange& change) {
  w.BeginObject();
  w.Key("op");
  for (const auto& [kind, name] : kChangeNames)
    if (kind == change.kind) w.String(name);
  switch (change.kind) {
    case StateChange::Kind::kUpsert: w.Key("resource"); WriteResource(w, change.resource); break;
    case StateChange::Kind::kAddIntent: w.Key("intent"); WriteIntent(w, change.intent); break;
    case StateChange::Kind::kRemove:
    case StateChange::Kind::kRemoveIntent: w.Key("address"); w.String(change.address.ToString()); break;
  }
  w.EndObject();
}

// The object under `key` of `f`'s object, decoded by `decode` with paths continuing from `f`.
template <typename T, typename Decode>
Result<T> DecodeNested(const Fields& f, const std::string& key, const std::string& file, Decode decode) {
  Value* nested = f.Find(key);
  if (!nested || !nested->is_map()) return f.Fail(key, "expected an object");
  return decode(Fields(nested->as_map(), f.Path(key), file));
}

Result<StateChange> DecodeChange(const Fields& f, const std::string& file) {
  std::string op;
  if (Status s = f.String("op", op); !s.ok()) return s;
  StateChange change;
  auto known = std::find_if(kChangeNames.begin(), kChangeNames.end(), [&](const auto& n) { return op == n.second; });
  if (known == kChangeNames.end()) return f.Fail("op", "unknown operation \"" + op + "\"");
  change.kind = known->first;
  switch (change.kind) {
    case StateChange::Kind::kUpsert: {
      auto resource = DecodeNested<ResourceState>(f, "resource", file, DecodeResource);
      if (!resource.ok()) return resource.status();
      return StateChange::Upsert(std::move(*resource));
    }
    case StateChange::Kind::kAddIntent: {
      auto intent = DecodeNested<Intent>(f, "intent", file, DecodeIntent);
      if (!intent.ok()) return intent.status();
      return StateChange::AddIntent(std::move(*intent));
    }
    case StateChange::Kind::kRemove:
    case StateChange::Kind::kRemoveIntent:
      if (Status s = f.Address("address", change.address); !s.ok()) return s;
      return change;
  }
  return change;
}

}  // namespace

std::string EncodeChanges(uint64_t serial, const std::vector<StateChange>& changes) {
  PrettyWriter w;
  w.BeginObject();
  w.Key("serial"); w.Uint(serial);
  w.Key("changes"); w.BeginArray();
  for (const auto& change : changes) WriteChange(w, change);
  w.EndArray();
  w.EndObject();
  return w.Take();
}

Result<DecodedChanges> DecodeChanges(std::string_view text, const std::string& where) {
  Result<Value> parsed = ParseValue(text, where);
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_map()) return Status::Error(where + ": expected a JSON object");
  Fields top(parsed->as_map(), "", where);
  DecodedChanges out;
  int64_t serial = 0;
  if (Status s = top.Int("serial", serial); !s.ok()) return s;
  if (serial <= 0) return top.Fail("serial", "expected a positive serial");
  out.serial = static_cast<uint64_t>(serial);
  Value* list = top.Find("changes");
  if (!list || !list->is_list()) return top.Fail("changes", "expected a list");
  for (size_t i = 0; i < list->as_list().size(); ++i) {
    Value& item = list->as_list()[i];
    std::string path = "changes[" + std::to_string(i) + "]";
    if (!item.is_map()) return Status::Error(where + ": " + path + ": expected an object");
    auto change = DecodeChange(Fields(item.as_map(), path, where), where);
    if (!change.ok()) return change.status();
    out.changes.push_back(std::move(*change));
  }
  return out;
}

std::string EncodeState(const State& state) {
  PrettyWriter w;
  // About 0.8 KiB a resource today; pages reserved but never written cost no memory.
  constexpr size_t kBytesPerResource = 2048;
  w.Reserve(4096 + state.resources.size() * kBytesPerResource);
  w.BeginObject();
  w.Key("format"); w.String(State::kFormatName);
  w.Key("version"); w.Int(State::kFormatVersion);
  w.Key("lineage"); w.String(state.lineage);
  w.Key("serial"); w.Uint(state.serial);
  w.Key("tool_version"); w.String(state.tool_version);
  w.Key("resources"); w.BeginArray();
  for (const auto& r : state.resources) WriteResource(w, r);
  w.EndArray();
  w.Key("outputs"); WriteMap(w, state.outputs);
  w.Key("sensitive_outputs"); WriteStrings(w, SensitivePaths(state.outputs));
  w.Key("intents"); w.BeginArray();
  for (const auto& intent : state.intents) WriteIntent(w, intent);
  w.EndArray();
  w.EndObject();
  return w.Take();
}

Result<State> DecodeState(std::string_view text, const std::string& file_name) {
  ResourceStream resources(file_name);
  Result<Value> parsed = ParseValue(text, file_name, resources.streamed());
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_map()) return Status::Error(file_name + ": not a stashform state file (not a JSON object)");
  Value::Map& doc = parsed->as_map();
  if (Status s = CheckFormatAndUpgrade(doc, file_name); !s.ok()) return s;
  return DecodeDocument(doc, resources, file_name);
}

}  // namespace stashform::state
