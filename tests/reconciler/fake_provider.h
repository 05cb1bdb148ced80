#pragma once
// FakeProvider serves `fake.thing` objects from memory and records every write, so engine tests
// read as "given these objects and this config, the engine should ...".

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "modules/provider/provider.h"

namespace stashform::testing {

/// The fake remote world: objects by id, and the writes made to it in order.
struct FakeRemote {
  std::mutex mutex;  // apply calls the fake from several threads
  std::map<std::string, Value::Map> objects;
  /// Objects a read makes from their id when `objects` has none: a remote of many objects that,
  /// as a real server's, takes no memory in stashform's process (bench_plan_100k's).
  std::function<std::optional<Value::Map>(const std::string& id)> made_on_read;
  std::vector<std::string> writes;  // "create name=a", "update 1", "delete 1"
  int next_id = 100;  // apart from the ids tests record by hand
  std::string fail_create_of;  // a name whose create fails with an error
  std::string fail_read_of;    // an id whose read fails with an error
  std::map<std::string, int> create_faults;  // name -> creates answered 503 before anything is made
  std::string lose_create_answer_of;         // a name whose create is made but whose answer is lost
  bool fail_find = false;                    // lookups by natural key fail (prove nothing)
  int delay_ms = 0;            // each write takes this long (to see concurrency)
  int in_flight = 0;
  int max_in_flight = 0;
  int reads = 0;
  int read_many_calls = 0;
  std::function<void(const std::string& name)> on_create;  // called as each create arrives
  std::map<std::string, Value::Map> server_configs;        // what each server was configured with
};

const ResourceSchema& FakeThingSchema();
/// fake.named: a fake.thing whose id is its name (identity = {"name"}), as Spacelift slugs an
/// integration's name: a create with a name that exists takes over the existing object.
const ResourceSchema& FakeNamedSchema();
const ResourceSchema& FakeServerSchema();
/// `fake.key`: a name, and a `value` only the create answer carries (like a token's).
const ResourceSchema& FakeKeySchema();

class FakeThingType : public provider::ResourceType {
 public:
  explicit FakeThingType(FakeRemote& remote, const ResourceSchema& schema = FakeThingSchema())
      : remote_(remote), schema_(schema) {}
  const ResourceSchema& schema() const override { return schema_; }
  provider::ReadResponse Read(const provider::ReadRequest& request) override;
  std::vector<provider::ReadResponse> ReadMany(const std::vector<provider::ReadRequest>& requests,
                                               const provider::ReadDone& done = {}) override;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
  provider::ImportResponse Import(const std::string& id) override;
  provider::ImportResponse Find(const Value::Map& natural_key) override;
  /// fake.named: the name, which a create makes the id; fake.thing: "" (the server numbers).
  std::string IdOfNewObject(const Value::Map& planned) const override;

 protected:
  FakeRemote& remote_;
  const ResourceSchema& schema_;
};

/// FakeKeyType makes keys whose value only the create answer carries; reads, lookups and deletes
/// are the thing's.
class FakeKeyType : public FakeThingType {
 public:
  using FakeThingType::FakeThingType;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
};

class FakeProvider : public provider::Provider {
 public:
  explicit FakeProvider(FakeRemote& remote) : remote_(remote) {}
  std::string name() const override { return "fake"; }
  std::vector<const ResourceSchema*> Schemas() const override {
    return {&FakeServerSchema(), &FakeThingSchema(), &FakeNamedSchema(), &FakeKeySchema()};
  }
  Result<std::unique_ptr<provider::Server>> Configure(const std::string& name, const Value::Map& config) override;

 private:
  FakeRemote& remote_;
};

}  // namespace stashform::testing
