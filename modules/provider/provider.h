#pragma once
// The provider interface: resource types answer questions; the engine decides every action.
// A platform module (modules/bitbucket, ...) implements it and never includes the engine.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/diagnostics.h"
#include "base/schema.h"
#include "base/status.h"
#include "base/value.h"

namespace stashform::provider {

/// Read asks what exists now for an object recorded in state.
struct ReadRequest {
  std::string id;      // remote id recorded in state
  Value::Map prior;    // attributes recorded in state (write-only ones as digests)
};
struct ReadResponse {
  bool gone = false;      // the remote object no longer exists
  Value::Map attributes;  // current attributes (write-only ones as digests, or the prior digest)
  /// What the type noticed that the engine should give as a reason if it plans a change, e.g.
  /// "stack detached: integration deleted".
  std::vector<std::string> notes;
  /// A state the object is in that only a person can end, never an API call (an auth provider
  /// waiting for an owner's OAuth consent), worded to be shown after the address:
  /// "pending verification — an owner must connect at URL". "" when none. The engine reports
  /// it in plan, apply and drift; it is never a change, so it never makes a plan loop.
  std::string pending;
  Diagnostics diagnostics;
};

/// ReadDone is told that request `index` of a ReadMany has its answer, as soon as it has it, so
/// that a long refresh can show progress. A ReadMany that reads in parallel calls it from its
/// worker threads, possibly at the same time: the receiver must be thread-safe (engine::Refresh
/// takes a lock). It may be empty; ReportRead checks.
using ReadDone = std::function<void(size_t index, const ReadResponse& response)>;

/// Tells `done`, if set, that request `index` has its answer.
inline void ReportRead(const ReadDone& done, size_t index, const ReadResponse& response) {
  if (done) done(index, response);
}

/// Plan turns the config's proposal into the attributes the object will have.
struct PlanRequest {
  bool creating = false;
  Value::Map prior;     // refreshed attributes; empty when creating
  Value::Map proposed;  // attributes from config, with defaults applied
};
struct PlanResponse {
  Value::Map planned;                         // unknown where only apply can tell
  std::vector<std::string> requires_replace;  // attributes whose change forces a new object
  Diagnostics diagnostics;
};

enum class ApplyAction { kCreate, kUpdate, kDelete };
std::string ApplyActionName(ApplyAction action);

struct ApplyRequest {
  ApplyAction action = ApplyAction::kCreate;
  std::string id;       // remote id for update and delete
  Value::Map prior;     // refreshed attributes for update and delete
  Value::Map planned;   // desired attributes for create and update, secrets in the clear
};
struct ApplyResponse {
  std::string id;            // remote id of the created or updated object
  Value::Map attributes;     // the object as it now is (write-only ones as digests)
  Value::Map private_data;   // sensitive values only the create answer carries (token values)
  std::string pending;       // as ReadResponse::pending: what the written object now waits for
  Diagnostics diagnostics;
  /// The create failed in a way that may pass (a 5xx, a reset): once a lookup by natural key
  /// proves nothing was made, the engine may send it again.
  bool may_resend = false;
  /// The create was refused because an object with its key exists (a 409): someone else made it,
  /// so a lookup that finds it finds an object this run did not create.
  bool already_exists = false;
};

/// Import adopts an existing object by remote id or by natural key.
struct ImportResponse {
  bool found = false;
  std::string id;
  Value::Map attributes;
  Diagnostics diagnostics;
  /// The id as `stashform import ADDR ID` takes it ("users/bot/17"); empty means `id`.
  std::string import_id;
};

/// Every object that one natural key finds, oldest first where the server tells (an id that
/// grows, a creation time); several when duplicates were made before.
struct FoundObjects {
  std::vector<ImportResponse> objects;  // each with found = true
  Diagnostics diagnostics;
};

/// An object that lives beside managed ones but that no state records (a webhook added by hand on a
/// managed repository), found for `stashform drift`.
struct UnmanagedObject {
  std::string id;
  std::string description;  // e.g. `INFRA/api webhook "jenkins" -> https://ci/hook`
  Value::Map attributes;
  /// A stack that a deleted integration left detached, rather than an object nobody declared:
  /// `drift -json` reports the two apart.
  bool detached_stack = false;
};

/// ResourceType is one kind of remote object on one configured server.
class ResourceType {
 public:
  virtual ~ResourceType() = default;
  virtual const ResourceSchema& schema() const = 0;
  virtual ReadResponse Read(const ReadRequest& request) = 0;
  /// Refresh of many objects at once; a type that can list (all webhooks of a repository) answers
  /// with one listing per group instead of one call per object. Answers align with requests.
  /// Every override reports each request to `done` exactly once, when its answer is final.
  virtual std::vector<ReadResponse> ReadMany(const std::vector<ReadRequest>& requests, const ReadDone& done = {});
  /// The default plans by the schema: computed attributes carried over or unknown, force_new
  /// attributes that differ reported as requiring replacement.
  virtual PlanResponse Plan(const PlanRequest& request);
  virtual ApplyResponse Apply(const ApplyRequest& request) = 0;
  virtual ImportResponse Import(const std::string& id) = 0;
  /// Looks the object up by the attributes named in schema().natural_key.
  virtual ImportResponse Find(const Value::Map& natural_key) = 0;
  /// Looks many keys up at once; answers align with `natural_keys`. A type that can list (all
  /// webhooks of a repository) answers with one listing per container, not one call per key.
  /// The default asks Find for each key.
  virtual std::vector<FoundObjects> FindMany(const std::vector<Value::Map>& natural_keys);
  /// The remote id a create with `planned` attributes would get, when the type can tell without
  /// asking the server (Spacelift slugs an integration's name into its id); "" when only the
  /// server knows. The engine asks it to see that a replacement's new object would collide with
  /// the old one even after the old one was renamed by hand.
  virtual std::string IdOfNewObject(const Value::Map& planned) const {
    (void)planned;
    return "";
  }
  /// Objects of this type in the places where `managed` ones live that are not among them.
  /// Types that cannot tell answer nothing.
  virtual std::vector<UnmanagedObject> ListUnmanaged(const std::vector<ReadRequest>& managed,
                                                     Diagnostics& diagnostics) {
    (void)managed;
    (void)diagnostics;
    return {};
  }
};

/// PlanBySchema is the default planning rule, usable by types that refine it.
PlanResponse PlanBySchema(const ResourceSchema& schema, const PlanRequest& request);

/// Server is one configured server block (`bitbucket.server "corp"`) and the types it serves.
class Server {
 public:
  virtual ~Server() = default;
  virtual ResourceType* Resource(const std::string& type) = 0;
  /// Checks that the server answers and accepts the credentials: one cheap call, made by plan and
  /// apply before anything else so that a wrong URL or token fails early with one clear line.
  virtual Status Verify() = 0;
  /// Reads a data source (a schema with is_data_source) with the given arguments, e.g. the
  /// repositories of a project; the result is plain data handed to the config (a list of maps).
  virtual Result<Value> ReadDataSource(const std::string& type, const Value::Map& arguments) {
    (void)arguments;
    return Status::Error("data source " + type + " is not served by this server");
  }
};

/// Provider is one platform module: its schemas and how to connect to a server of it.
class Provider {
 public:
  virtual ~Provider() = default;
  virtual std::string name() const = 0;  // "bitbucket"
  /// The server block's schema first, then every resource type's.
  virtual std::vector<const ResourceSchema*> Schemas() const = 0;
  virtual Result<std::unique_ptr<Server>> Configure(const std::string& server_name,
                                                    const Value::Map& config) = 0;
};

/// Registry knows every provider the CLI wired in and finds schemas by type name.
class Registry {
 public:
  void Add(std::unique_ptr<Provider> provider);
  const ResourceSchema* FindSchema(const std::string& type) const;
  Provider* ProviderFor(const std::string& type) const;
  std::vector<const ResourceSchema*> AllSchemas() const;
  std::vector<std::string> TypeNames() const;

 private:
  std::vector<std::unique_ptr<Provider>> providers_;
};

}  // namespace stashform::provider
