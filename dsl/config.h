#pragma once
// Config is what evaluating the Lua files yields: plain C++ data with source positions.
// Nothing here runs Lua; the engine plans from this value alone.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "base/address.h"
#include "base/diagnostics.h"
#include "base/value.h"

namespace stashform::dsl {

/// Lifecycle rules of one resource (`lifecycle = { ... }`).
struct Lifecycle {
  bool prevent_destroy = false;
  bool create_before_destroy = false;
  bool destroy = true;  // false: removing the block forgets the object instead of deleting it
  std::vector<std::string> ignore_changes;
};

/// ServerBlock is a configured server (`bitbucket.server "corp" { url = ..., token = ... }`).
struct ServerBlock {
  std::string type;  // "bitbucket.server"
  std::string name;  // "corp"
  Value::Map attributes;
  SourcePos pos;
};

/// ResourceBlock is one declared resource (`bitbucket.webhook "INFRA/api" { ... }`).
struct ResourceBlock {
  ResourceAddress address;
  std::string server;      // name of the ServerBlock it is bound to
  Value::Map attributes;   // as written (defaults are applied by the engine from the schema)
  std::map<std::string, SourcePos> attribute_pos;  // where each attribute was set, when known
  Lifecycle lifecycle;
  std::vector<std::string> depends_on;  // addresses, from `depends_on = { ... }`
  /// What a create does when an object with the block's natural key exists and no state records
  /// it (`on_conflict = "adopt" | "replace" | "fail"`); "" is the type's default: adopt, or fail
  /// for a type that cannot be adopted (a token, whose value nothing reads back).
  std::string on_conflict;
  /// Addresses that attribute values refer to (`url = spl.webhook_url`): dependency edges too.
  /// The references themselves stay in `attributes` as Value::Ref / Value::Join.
  std::vector<std::string> references;
  SourcePos pos;
  SourcePos call_site;  // the user's own line when an imported recipe declared the block at `pos`
};

/// VariableBlock is an input (`variable "n" { type, default, sensitive, description }`) with the
/// value it took in this run.
struct VariableBlock {
  std::string name;
  std::string type;  // "string", "number", "bool", "list", "map" or "any"
  std::string description;
  bool sensitive = false;
  Value value;         // marked sensitive when the variable is
  std::string source;  // where the value came from: "default", "-var", "-var-file vars.json", "STASHFORM_VAR_n"
  SourcePos pos;
};

/// OutputBlock is a value shown after apply (`output "n" { value, sensitive, description }`).
struct OutputBlock {
  std::string name;
  Value value;
  bool sensitive = false;
  std::string description;
  SourcePos pos;
};

/// MovedBlock renames an object in state instead of replacing it (`moved { from, to }`).
struct MovedBlock {
  ResourceAddress from;
  ResourceAddress to;
  SourcePos pos;
};

/// RemovedBlock drops an address from the config on purpose (`removed { from, destroy = false }`).
struct RemovedBlock {
  ResourceAddress from;
  bool destroy = true;  // false: forget the remote object instead of deleting it
  SourcePos pos;
};

/// ImportBlock adopts an existing remote object into a declared address (`import { to, id }`).
struct ImportBlock {
  ResourceAddress to;
  std::string id;
  SourcePos pos;
};

/// UnmanagedIgnore is one rule of `unmanaged { ignore = { { repository = "INFRA/*", name = "jenkins" } } }`:
/// an object drift finds beside the managed ones is not reported when every pattern it sets matches
/// (`*` any run of characters). Keys: type, repository ("PROJECT/slug", or "PROJECT" at project
/// scope), name, url.
struct UnmanagedIgnore {
  std::map<std::string, std::string> patterns;
  SourcePos pos;
};

struct Config {
  std::string folder;
  std::vector<ServerBlock> servers;
  std::vector<ResourceBlock> resources;
  std::vector<VariableBlock> variables;
  std::vector<OutputBlock> outputs;
  std::vector<MovedBlock> moved;
  std::vector<RemovedBlock> removed;
  std::vector<ImportBlock> imports;
  std::vector<UnmanagedIgnore> unmanaged_ignore;

  const ServerBlock* FindServer(const std::string& type, const std::string& name) const;
  /// By address, through an index built on first use (and again if `resources` grew); safe to call
  /// from several threads.
  const ResourceBlock* FindResource(const ResourceAddress& address) const;

 private:
  /// The address index; a copy starts empty and is rebuilt on first use.
  struct AddressIndex {
    AddressIndex() = default;
    AddressIndex(const AddressIndex&) {}
    AddressIndex& operator=(const AddressIndex&) {
      std::lock_guard<std::mutex> lock(mutex);
      positions.clear();
      return *this;
    }
    std::mutex mutex;
    std::map<ResourceAddress, size_t> positions;
  };
  mutable AddressIndex index_;
};

}  // namespace stashform::dsl
