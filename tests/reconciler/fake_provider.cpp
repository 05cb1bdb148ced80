#include "tests/reconciler/fake_provider.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "base/digest.h"

namespace stashform::testing {

namespace {

ResourceSchema MakeThingSchema() {
  ResourceSchema s;
  s.type = "fake.thing";
  s.server_type = "fake.server";
  s.natural_key = {"name"};
  auto name = MakeAttribute("name", AttrType::kString, AttrMode::kRequired);
  name.force_new = true;
  auto size = MakeAttribute("size", AttrType::kInt, AttrMode::kOptional);
  size.default_value = Value(1);
  auto secret = MakeAttribute("secret", AttrType::kString, AttrMode::kOptional);
  secret.sensitive = secret.write_only = true;
  s.attributes = {name, size, MakeAttribute("tags", AttrType::kStringSet, AttrMode::kOptional), secret,
                  MakeAttribute("peer", AttrType::kString, AttrMode::kOptional),
                  MakeAttribute("id", AttrType::kString, AttrMode::kComputed)};
  return s;
}

ResourceSchema MakeKeySchema() {
  ResourceSchema s;
  s.type = "fake.key";
  s.server_type = "fake.server";
  s.natural_key = {"name"};
  auto name = MakeAttribute("name", AttrType::kString, AttrMode::kRequired);
  name.force_new = true;
  auto value = MakeAttribute("value", AttrType::kString, AttrMode::kComputed);
  value.sensitive = value.create_answer_only = true;
  s.attributes = {name, value, MakeAttribute("id", AttrType::kString, AttrMode::kComputed)};
  return s;
}

class FakeServer : public provider::Server {
 public:
  explicit FakeServer(FakeRemote& remote)
      : things_(remote), named_(remote, FakeNamedSchema()), keys_(remote, FakeKeySchema()) {}
  provider::ResourceType* Resource(const std::string& type) override {
    if (type == "fake.named") return &named_;
    if (type == "fake.key") return &keys_;
    return type == "fake.thing" ? &things_ : nullptr;
  }
  Status Verify() override { return Status::Ok(); }

 private:
  FakeThingType things_;
  FakeThingType named_;
  FakeKeyType keys_;
};

Value::Map Stored(const Value::Map& planned, const std::string& id) {
  Value::Map stored = planned;
  stored["id"] = Value(id);
  stored["secret"] = ValueForState(*FakeThingSchema().Find("secret"),
                                   planned.count("secret") ? planned.at("secret") : Value(""));
  return stored;
}

}  // namespace

const ResourceSchema& FakeThingSchema() {
  static const ResourceSchema kSchema = MakeThingSchema();
  return kSchema;
}

const ResourceSchema& FakeNamedSchema() {
  static const ResourceSchema kSchema = [] {
    ResourceSchema s = MakeThingSchema();
    s.type = "fake.named";
    s.identity = {"name"};
    return s;
  }();
  return kSchema;
}

const ResourceSchema& FakeKeySchema() {
  static const ResourceSchema kSchema = MakeKeySchema();
  return kSchema;
}

const ResourceSchema& FakeServerSchema() {
  static const ResourceSchema kSchema = [] {
    ResourceSchema s;
    s.type = "fake.server";
    s.is_server = true;
    return s;
  }();
  return kSchema;
}

provider::ReadResponse FakeThingType::Read(const provider::ReadRequest& request) {
  std::lock_guard<std::mutex> lock(remote_.mutex);
  ++remote_.reads;
  provider::ReadResponse response;
  if (request.id == remote_.fail_read_of) {
    response.diagnostics.Error({}, "", "GET /things/" + request.id + ": 500 Internal Server Error");
    return response;
  }
  auto it = remote_.objects.find(request.id);
  if (it != remote_.objects.end()) {
    response.attributes = it->second;
    return response;
  }
  std::optional<Value::Map> made = remote_.made_on_read ? remote_.made_on_read(request.id) : std::nullopt;
  if (made) response.attributes = std::move(*made);
  else response.gone = true;
  return response;
}

std::vector<provider::ReadResponse> FakeThingType::ReadMany(const std::vector<provider::ReadRequest>& requests,
                                                            const provider::ReadDone& done) {
  {
    std::lock_guard<std::mutex> lock(remote_.mutex);
    ++remote_.read_many_calls;
  }
  return ResourceType::ReadMany(requests, done);
}

std::string FakeThingType::IdOfNewObject(const Value::Map& planned) const {
  auto name = planned.find("name");
  if (schema_.identity.empty() || name == planned.end() || !name->second.is_string()) return "";
  return name->second.as_string();
}

provider::ApplyResponse FakeThingType::Apply(const provider::ApplyRequest& request) {
  {
    std::lock_guard<std::mutex> lock(remote_.mutex);
    remote_.max_in_flight = std::max(remote_.max_in_flight, ++remote_.in_flight);
  }
  if (remote_.delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(remote_.delay_ms));
  std::lock_guard<std::mutex> lock(remote_.mutex);
  --remote_.in_flight;
  provider::ApplyResponse response;
  switch (request.action) {
    case provider::ApplyAction::kCreate: {
      std::string name = request.planned.at("name").as_string();
      if (remote_.on_create) remote_.on_create(name);
      remote_.writes.push_back("create name=" + name);
      if (name == remote_.fail_create_of) {
        response.diagnostics.Error({}, "", "POST /things: 400 Bad Request: refused");
        return response;
      }
      if (auto fault = remote_.create_faults.find(name); fault != remote_.create_faults.end() && fault->second > 0) {
        --fault->second;
        response.diagnostics.Error({}, "", "POST /things: 503 Service Unavailable");
        response.may_resend = true;
        return response;
      }
      response.id = schema_.identity.empty() ? std::to_string(remote_.next_id++) : name;
      remote_.objects[response.id] = Stored(request.planned, response.id);
      if (name == remote_.lose_create_answer_of) {
        response = {};
        response.diagnostics.Error({}, "", "POST /things: connection reset by peer");
        response.may_resend = true;
        return response;
      }
      break;
    }
    case provider::ApplyAction::kUpdate:
      remote_.writes.push_back("update " + request.id);
      response.id = request.id;
      remote_.objects[request.id] = Stored(request.planned, request.id);
      break;
    case provider::ApplyAction::kDelete:
      remote_.writes.push_back("delete " + request.id);
      remote_.objects.erase(request.id);
      response.id = request.id;
      return response;
  }
  response.attributes = remote_.objects[response.id];
  return response;
}

provider::ImportResponse FakeThingType::Import(const std::string& id) {
  std::lock_guard<std::mutex> lock(remote_.mutex);
  provider::ImportResponse response;
  if (auto it = remote_.objects.find(id); it != remote_.objects.end()) {
    response.found = true;
    response.id = id;
    response.attributes = it->second;
  }
  return response;
}

provider::ImportResponse FakeThingType::Find(const Value::Map& natural_key) {
  std::lock_guard<std::mutex> lock(remote_.mutex);
  provider::ImportResponse response;
  if (remote_.fail_find) {
    response.diagnostics.Error({}, "", "GET /things: 502 Bad Gateway");
    return response;
  }
  for (const auto& [id, object] : remote_.objects)
    if (object.at("name") == natural_key.at("name")) {
      response.found = true;
      response.id = id;
      response.attributes = object;
    }
  return response;
}

provider::ApplyResponse FakeKeyType::Apply(const provider::ApplyRequest& request) {
  if (request.action != provider::ApplyAction::kCreate) return FakeThingType::Apply(request);
  std::lock_guard<std::mutex> lock(remote_.mutex);
  const std::string name = request.planned.at("name").as_string();
  remote_.writes.push_back("create name=" + name);
  provider::ApplyResponse response;
  response.id = std::to_string(remote_.next_id++);
  remote_.objects[response.id] = {{"name", Value(name)}, {"id", Value(response.id)}};
  response.attributes = remote_.objects[response.id];
  response.private_data["value"] = Value::Sensitive(Value("key-" + response.id));
  if (name == remote_.lose_create_answer_of) {
    response = {};
    response.diagnostics.Error({}, "", "PUT /keys: connection reset by peer");
    response.may_resend = true;
  }
  return response;
}

Result<std::unique_ptr<provider::Server>> FakeProvider::Configure(const std::string& name, const Value::Map& attributes) {
  remote_.server_configs[name] = attributes;
  std::unique_ptr<provider::Server> server = std::make_unique<FakeServer>(remote_);
  return server;
}

}  // namespace stashform::testing
