#pragma once
// Root-field resolvers of the Spacelift emulator, one per operation the reference names. A
// resolver answers the full object (projection then keeps the selected fields) or throws
// GraphQLError, which becomes one entry of the answer's "errors".

#include "emulators/spacelift/graphql.h"
#include "emulators/spacelift/model.h"

#include <boost/json.hpp>

#include <map>
#include <stdexcept>
#include <string>

namespace stashform::emulator::spacelift {

struct GraphQLError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// What a resolver sees: the field with its arguments and the state, under the App's lock.
struct FieldCall {
  const Selection& field;
  State& state;
  std::string caller;  // the API key id of the bearer; empty for apiKeyUser
};

struct Resolver {
  std::string type_name;  // of the answer object, for projection errors
  boost::json::value (*resolve)(FieldCall& call);
};

/// Root fields by operation kind ("query" / "mutation") and name.
const std::map<std::string, Resolver>& QueryResolvers();
const std::map<std::string, Resolver>& MutationResolvers();

/// Integration resolvers (integrations.cpp) and stack resolvers (stacks.cpp) add themselves here.
void AddIntegrationResolvers(std::map<std::string, Resolver>& queries, std::map<std::string, Resolver>& mutations);
void AddStackResolvers(std::map<std::string, Resolver>& queries, std::map<std::string, Resolver>& mutations);

/// Creates an integration from create-mutation arguments (also used by the seed); throws GraphQLError.
Integration& CreateIntegration(State& state, const boost::json::object& arguments);
/// Queues a tracked run of the stack; throws GraphQLError for an unknown stack, and for a
/// detached one ("Run creation on this stack is currently disabled", platforms.md §1.4).
boost::json::object QueueRun(State& state, const std::string& stack_id, const std::string& triggered_by);

/// The integration's webhook URL: derived from its id (so from its name) only.
std::string WebhookUrl(const State& state, const std::string& id);

/// Argument helpers: a required string, or an input object whose keys must all be `allowed`.
std::string RequiredString(const boost::json::object& arguments, const std::string& name, const std::string& type);
const boost::json::object* InputObject(const boost::json::object& arguments, const std::string& name,
                                       const std::string& type, const std::vector<std::string>& allowed);

}  // namespace stashform::emulator::spacelift
