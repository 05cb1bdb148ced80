#include "reconciler/cli/saved_plan_codec.h"

#include <stdexcept>

#include "base/digest.h"

namespace stashform::cli {

namespace json = boost::json;

namespace {

/// A problem reading the plan back; caught at the reader's public methods and turned into a Status.
struct Refusal : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string DigestOf(const Value& value) { return SecretDigest(value.RenderRevealed()); }

/// Writes values; a sensitive one with content becomes {"secret": digest, "env": name}.
class ValueWriter {
 public:
  explicit ValueWriter(const EnvironmentNameOf& env_name_of) : env_name_of_(env_name_of) {}

  json::value Write(const Value& value) const {
    if (value.sensitive() && !value.is_null() && !value.ContainsReference() && !value.ContainsUnknown()) {
      json::object secret{{"secret", DigestOf(value)}};
      std::string env = value.is_string() && env_name_of_ ? env_name_of_(value.as_string()) : "";
      if (!env.empty()) secret["env"] = env;
      return secret;
    }
    if (value.sensitive()) return json::object{{"sensitive", Write(Value(value).MarkSensitive(false))}};
    return WritePlain(value);
  }

  json::object WriteMap(const Value::Map& map) const {
    json::object out;
    for (const auto& [key, item] : map) out[key] = Write(item);
    return out;
  }

 private:
  json::value WritePlain(const Value& value) const {
    switch (value.kind()) {
      case Value::Kind::kNull: return nullptr;
      case Value::Kind::kBool: return value.as_bool();
      case Value::Kind::kInt: return value.as_int();
      case Value::Kind::kNumber: return json::object{{"number", value.as_number()}};
      case Value::Kind::kString: return json::string(value.as_string());
      case Value::Kind::kList: {
        json::array items;
        for (const auto& item : value.as_list()) items.push_back(Write(item));
        return items;
      }
      case Value::Kind::kMap: return json::object{{"map", WriteMap(value.as_map())}};
      case Value::Kind::kUnknown: return json::object{{"unknown", true}};
      case Value::Kind::kReference:
        return json::object{{"ref", value.as_reference().address}, {"attribute", value.as_reference().attribute}};
      case Value::Kind::kConcat: {
        json::array parts;
        for (const auto& part : value.as_concat().parts) parts.push_back(Write(part));
        return json::object{{"concat", parts}};
      }
    }
    return nullptr;
  }

  const EnvironmentNameOf& env_name_of_;
};

/// Where a value read back sits: its name for errors, the value at the same place in the state (a
/// candidate for its secrets), and whether a secret that cannot be re-read refuses the plan.
struct Place {
  std::string name;
  const Value* in_state = nullptr;
  bool required = true;

  Place At(const std::string& key) const {
    const Value* inner = in_state && in_state->is_map() ? Find(in_state->as_map(), key) : nullptr;
    return {name + "." + key, inner, required};
  }
  Place At(size_t index) const {
    const Value* inner = in_state && in_state->is_list() && index < in_state->as_list().size()
                             ? &in_state->as_list()[index] : nullptr;
    return {name + "[" + std::to_string(index) + "]", inner, required};
  }
  static const Value* Find(const Value::Map& map, const std::string& key) {
    auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
  }
};

/// Reads values back, re-reading each secret from the environment or the state.
class ValueReader {
 public:
  explicit ValueReader(const EnvironmentLookup& getenv) : getenv_(getenv) {}

  Value Read(const json::value& encoded, const Place& place) const {
    if (encoded.is_null()) return Value();
    if (encoded.is_bool()) return Value(encoded.as_bool());
    if (encoded.is_int64() || encoded.is_uint64()) return Value(encoded.to_number<int64_t>());
    if (encoded.is_string()) return Value(std::string(encoded.as_string()));
    if (encoded.is_array()) {
      Value::List items;
      for (const auto& item : encoded.as_array()) items.push_back(Read(item, place.At(items.size())));
      return Value(std::move(items));
    }
    return ReadTagged(encoded.as_object(), place);
  }

  Value::Map ReadMap(const json::value& encoded, const Place& place) const {
    Value::Map out;
    for (const auto& [key, item] : encoded.as_object()) out[key] = Read(item, place.At(std::string(key)));
    return out;
  }

 private:
  Value ReadTagged(const json::object& tagged, const Place& place) const {
    if (tagged.contains("secret")) return Secret(tagged, place);
    if (tagged.contains("sensitive")) return Read(tagged.at("sensitive"), place).MarkSensitive();
    if (tagged.contains("number")) return Value(tagged.at("number").to_number<double>());
    if (tagged.contains("map")) return Value(ReadMap(tagged.at("map"), place));
    if (tagged.contains("unknown")) return Value::UnknownValue();
    if (tagged.contains("ref"))
      return Value::Ref(std::string(tagged.at("ref").as_string()), std::string(tagged.at("attribute").as_string()));
    std::vector<Value> parts;
    for (const auto& part : tagged.at("concat").as_array()) parts.push_back(Read(part, {place.name, nullptr, place.required}));
    return Value::Join(std::move(parts));
  }

  /// The value whose digest the plan holds: from the environment variable named, or from the state.
  Value Secret(const json::object& slot, const Place& place) const {
    const std::string digest(slot.at("secret").as_string());
    const json::value* env = slot.if_contains("env");
    const std::string name = env ? std::string(env->as_string()) : "";
    std::optional<std::string> from_env = name.empty() || !getenv_ ? std::nullopt : getenv_(name);
    if (from_env && DigestOf(Value(*from_env)) == digest) return Value::Sensitive(Value(*from_env));
    if (place.in_state && DigestOf(*place.in_state) == digest) return Value::Sensitive(*place.in_state);
    if (!place.required) return Value::Sensitive(Value::UnknownValue());
    const std::string again = "; run \"stashform plan\" again";
    if (from_env)
      throw Refusal("saved plan is stale: the secret " + place.name + " (environment variable " + name +
                    ") changed since the plan was made" + again);
    if (!name.empty())
      throw Refusal("the saved plan needs the secret " + place.name + " from the environment variable " + name +
                    ", which is not set; set it as it was when the plan was made");
    throw Refusal("the saved plan's secret " + place.name +
                  " came from neither an environment variable nor the state, or changed since" + again);
  }

  const EnvironmentLookup& getenv_;
};

json::array Addresses(const std::vector<ResourceAddress>& addresses) {
  json::array out;
  for (const auto& address : addresses) out.push_back(json::string(address.ToString()));
  return out;
}

ResourceAddress AddressOf(const json::value& text) {
  auto address = ResourceAddress::Parse(std::string(text.as_string()));
  if (!address) throw Refusal("saved plan is damaged: bad address " + std::string(text.as_string()));
  return *address;
}

std::vector<ResourceAddress> AddressList(const json::value& list) {
  std::vector<ResourceAddress> out;
  for (const auto& item : list.as_array()) out.push_back(AddressOf(item));
  return out;
}

std::vector<std::string> Strings(const json::value& list) {
  std::vector<std::string> out;
  for (const auto& item : list.as_array()) out.emplace_back(item.as_string());
  return out;
}

json::array StringArray(const std::vector<std::string>& strings) {
  json::array out;
  for (const auto& text : strings) out.push_back(json::string(text));
  return out;
}

json::object WriteChange(const engine::ResourceChange& change, const ValueWriter& writer) {
  const auto& flags = change.lifecycle;
  return json::object{
      {"address", change.address.ToString()}, {"server", change.server},
      {"action", static_cast<int>(change.action)}, {"reasons", StringArray(change.reasons)}, {"id", change.id},
      {"before", writer.WriteMap(change.before)}, {"after", writer.WriteMap(change.after)},
      {"create_before_destroy", change.create_before_destroy}, {"write_always", change.write_always},
      {"forget", change.forget}, {"adopt", change.adopt}, {"file", change.pos.file}, {"line", change.pos.line},
      {"config_attributes", writer.WriteMap(change.config_attributes)},
      {"dependencies", Addresses(change.dependencies)},
      {"lifecycle", json::object{{"declared", flags.declared}, {"prevent_destroy", flags.prevent_destroy},
                                 {"keep_on_removal", flags.keep_on_removal},
                                 {"ignore_changes", StringArray(flags.ignore_changes)}}},
      {"natural_key", writer.WriteMap(change.natural_key)}};
}

json::object WriteEdit(const engine::StateEdit& edit) {
  auto text = [](const ResourceAddress& a) { return a.type.empty() ? std::string() : a.ToString(); };
  return json::object{{"kind", static_cast<int>(edit.kind)}, {"from", text(edit.from)},
                      {"to", text(edit.to)}, {"server", edit.server}, {"id", edit.id}};
}

/// The values recorded in state for `address`, private ones (a token) as attributes too: the
/// places a secret of the plan may be read from again.
Value RecordedValues(const state::State& state, const ResourceAddress& address) {
  const auto* recorded = state.Find(address);
  if (!recorded) return Value();
  Value::Map values = recorded->attributes;
  for (const auto& [name, value] : recorded->private_data) values.emplace(name, Value(value));
  return Value(std::move(values));
}

engine::ResourceChange ReadChange(const json::object& c, const state::State& state, const ValueReader& reader) {
  engine::ResourceChange change;
  change.address = AddressOf(c.at("address"));
  change.server = std::string(c.at("server").as_string());
  change.action = static_cast<engine::Action>(c.at("action").to_number<int>());
  change.reasons = Strings(c.at("reasons"));
  change.id = std::string(c.at("id").as_string());
  const Value recorded = RecordedValues(state, change.address);
  const Place place{change.address.ToString(), &recorded, true};
  if (const auto* adopt = c.if_contains("adopt"); adopt && adopt->is_bool()) change.adopt = adopt->as_bool();
  change.before = reader.ReadMap(c.at("before"), {place.name, &recorded, !change.adopt});
  // An adopted object's secrets came from a lookup, not from a state they could be read back from:
  // they stand as unknown to stashform (an empty digest), and the next plan sets them.
  if (change.adopt)
    for (auto& [name, value] : change.before)
      if (value.is_unknown()) value = Value::Sensitive(Value(""));
  change.after = reader.ReadMap(c.at("after"), {place.name, &recorded, false});  // apply plans it again
  change.create_before_destroy = c.at("create_before_destroy").as_bool();
  change.write_always = c.at("write_always").as_bool();
  change.forget = c.at("forget").as_bool();
  change.pos = {std::string(c.at("file").as_string()), c.at("line").to_number<int>()};
  change.config_attributes = reader.ReadMap(c.at("config_attributes"), place);
  change.dependencies = AddressList(c.at("dependencies"));
  const auto& flags = c.at("lifecycle").as_object();
  change.lifecycle = {flags.at("declared").as_bool(), flags.at("prevent_destroy").as_bool(),
                      flags.at("keep_on_removal").as_bool(), Strings(flags.at("ignore_changes"))};
  change.natural_key = reader.ReadMap(c.at("natural_key"), place);
  return change;
}

/// Runs `read`, turning a damaged document or a refused secret into a Status.
template <typename T, typename Read>
Result<T> Guarded(Read read) {
  try {
    return read();
  } catch (const Refusal& refusal) {
    return Status::Error(refusal.what());
  } catch (const std::exception& e) {
    return Status::Error(std::string("saved plan is damaged: ") + e.what());
  }
}

}  // namespace

json::object EncodeStandalonePlan(const engine::Plan& plan, const std::vector<dsl::ServerBlock>& servers,
                                  const EnvironmentNameOf& env_name_of) {
  ValueWriter writer(env_name_of);
  json::array changes, edits, outputs, server_blocks;
  for (const auto& change : plan.changes) changes.push_back(WriteChange(change, writer));
  for (const auto& edit : plan.state_edits) edits.push_back(WriteEdit(edit));
  for (const auto& output : plan.outputs)
    outputs.push_back(json::object{{"name", output.name}, {"value", writer.Write(output.value)},
                                   {"sensitive", output.sensitive}});
  for (const auto& server : servers)
    server_blocks.push_back(json::object{{"type", server.type}, {"name", server.name},
                                         {"attributes", writer.WriteMap(server.attributes)},
                                         {"file", server.pos.file}, {"line", server.pos.line}});
  return json::object{{"changes", changes}, {"forgotten", Addresses(plan.forgotten)},
                      {"state_edits", edits}, {"outputs", outputs}, {"servers", server_blocks},
                      {"refresh_only", plan.refresh_only}};
}

Result<dsl::Config> SavedPlanReader::Servers() const {
  return Guarded<dsl::Config>([&] {
    ValueReader reader(getenv_);
    dsl::Config config;
    for (const auto& item : encoded_.at("servers").as_array()) {
      const auto& s = item.as_object();
      dsl::ServerBlock block{std::string(s.at("type").as_string()), std::string(s.at("name").as_string()), {},
                             {std::string(s.at("file").as_string()), s.at("line").to_number<int>()}};
      block.attributes = reader.ReadMap(s.at("attributes"), {block.type + " \"" + block.name + "\"", nullptr, true});
      config.servers.push_back(std::move(block));
    }
    return config;
  });
}

Result<std::vector<engine::StateEdit>> SavedPlanReader::StateEdits() const {
  return Guarded<std::vector<engine::StateEdit>>([&] {
    std::vector<engine::StateEdit> edits;
    for (const auto& item : encoded_.at("state_edits").as_array()) {
      const auto& e = item.as_object();
      engine::StateEdit edit;
      edit.kind = static_cast<engine::StateEdit::Kind>(e.at("kind").to_number<int>());
      if (!e.at("from").as_string().empty()) edit.from = AddressOf(e.at("from"));
      if (!e.at("to").as_string().empty()) edit.to = AddressOf(e.at("to"));
      edit.server = std::string(e.at("server").as_string());
      edit.id = std::string(e.at("id").as_string());
      edits.push_back(std::move(edit));
    }
    return edits;
  });
}

Result<engine::Plan> SavedPlanReader::Plan(const state::State& state) const {
  return Guarded<engine::Plan>([&] {
    ValueReader reader(getenv_);
    engine::Plan plan;
    for (const auto& item : encoded_.at("changes").as_array())
      plan.changes.push_back(ReadChange(item.as_object(), state, reader));
    plan.forgotten = AddressList(encoded_.at("forgotten"));
    for (const auto& item : encoded_.at("outputs").as_array()) {
      const auto& o = item.as_object();
      std::string name(o.at("name").as_string());
      Value value = reader.Read(o.at("value"), {"output \"" + name + "\"", nullptr, true});
      plan.outputs.push_back({name, std::move(value), o.at("sensitive").as_bool()});
    }
    plan.refresh_only = encoded_.at("refresh_only").as_bool();
    return plan;
  });
}

}  // namespace stashform::cli
