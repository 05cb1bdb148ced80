// The seed document: API keys, integrations that exist before stashform runs, and stacks
// (documented in docs/emulator.md, "Spacelift").
#include "emulators/spacelift/resolvers.h"

namespace stashform::emulator::spacelift {

namespace json = boost::json;

namespace {

const json::array& ArrayOf(const json::object& seed, const char* key) {
  static const json::array kEmpty;
  auto* value = seed.if_contains(key);
  if (!value) return kEmpty;
  if (!value->is_array()) throw std::runtime_error(std::string("seed: \"") + key + "\" must be a list");
  return value->as_array();
}

std::string Text(const json::object& object, const char* key) {
  auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

/// A seeded integration is written flat; it goes through the create mutation's rules.
void SeedIntegration(State& state, const json::object& seed) {
  json::object input{{"name", Text(seed, "name")}};
  for (const char* key : {"isDefault", "labels", "description", "vcsChecks", "useGitCheckout"})
    if (auto* value = seed.if_contains(key)) input[key] = *value;
  input["spaceID"] = Text(seed, "space");
  json::object arguments{{"apiHost", Text(seed, "apiHost")},
                         {"userFacingHost", Text(seed, "userFacingHost")},
                         {"username", Text(seed, "username")},
                         {"accessToken", Text(seed, "accessToken")},
                         {"customInput", input}};
  try {
    Integration& integration = CreateIntegration(state, arguments);
    if (std::string secret = Text(seed, "webhookSecret"); !secret.empty()) integration.fields["webhookSecret"] = secret;
  } catch (const GraphQLError& error) {
    throw std::runtime_error(std::string("seed: integration \"") + Text(seed, "name") + "\": " + error.what());
  }
}

}  // namespace

void LoadSeed(State& state, const json::value& seed) {
  if (!seed.is_object()) throw std::runtime_error("seed: expected a JSON object");
  const json::object& root = seed.as_object();
  state.model = Model{};
  for (const auto& item : ArrayOf(root, "apiKeys")) {
    if (!item.is_object()) throw std::runtime_error("seed: apiKeys items must be objects");
    ApiKey key{Text(item.as_object(), "id"), Text(item.as_object(), "secret"), Text(item.as_object(), "name")};
    if (key.id.empty() || key.secret.empty()) throw std::runtime_error("seed: an API key needs an id and a secret");
    state.model.api_keys.push_back(key);
  }
  for (const auto& item : ArrayOf(root, "integrations")) {
    if (!item.is_object()) throw std::runtime_error("seed: integrations items must be objects");
    SeedIntegration(state, item.as_object());
  }
  for (const auto& item : ArrayOf(root, "stacks")) {
    if (!item.is_object()) throw std::runtime_error("seed: stacks items must be objects");
    json::object stack = StackFromSeed(item.as_object(), state.model);
    std::string id(stack.at("id").as_string());
    if (!state.model.stacks.emplace(id, std::move(stack)).second)
      throw std::runtime_error("seed: duplicate stack id \"" + id + "\"");
  }
}

}  // namespace stashform::emulator::spacelift
