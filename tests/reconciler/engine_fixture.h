#pragma once
// EngineFixture: a fake server "main", a config, a state and a refresh, for planner and applier tests.

#include <gtest/gtest.h>

#include "dsl/config.h"
#include "reconciler/engine/planner.h"
#include "reconciler/engine/servers.h"
#include "state/state.h"
#include "tests/reconciler/fake_provider.h"

namespace stashform::testing {

class EngineFixture : public ::testing::Test {
 protected:
  EngineFixture() : servers(registry) {
    registry.Add(std::make_unique<FakeProvider>(remote));
    config.servers.push_back({"fake.server", "main", {}, {"main.lua", 1}});
    EXPECT_FALSE(servers.Configure(config).HasErrors());
    state = state::State::New("test");
  }

  static ResourceAddress Address(const std::string& name) { return {"", "fake.thing", name}; }

  /// A block `fake.thing "name" { ... }` at main.lua:line.
  dsl::ResourceBlock& Declare(const std::string& name, Value::Map attributes, int line = 10) {
    dsl::ResourceBlock block;
    block.address = Address(name);
    block.server = "main";
    block.attributes = std::move(attributes);
    block.pos = {"main.lua", line};
    config.resources.push_back(std::move(block));
    return config.resources.back();
  }

  /// An object recorded in state with id `id`; also present remotely unless `remote_too` is false.
  state::ResourceState& Record(const std::string& name, const std::string& id, Value::Map attributes,
                               bool remote_too = true) {
    attributes["id"] = Value(id);
    if (!attributes.count("size")) attributes["size"] = Value(1);
    if (!attributes.count("secret")) attributes["secret"] = Value::Sensitive(Value(""));
    if (remote_too) remote.objects[id] = attributes;
    state.Upsert({Address(name), "main", id, attributes, {}, {}, false});
    return *state.Find(Address(name));
  }

  engine::Plan MakePlan() {
    refreshed = engine::Refresh(state, servers);
    EXPECT_FALSE(refreshed.diagnostics.HasErrors()) << refreshed.diagnostics.ToString();
    return engine::MakePlan(config, state, refreshed, servers);
  }

  FakeRemote remote;
  provider::Registry registry;
  engine::Servers servers;
  dsl::Config config;
  state::State state;
  engine::Refreshed refreshed;
};

}  // namespace stashform::testing
