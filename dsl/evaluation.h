#pragma once
// Evaluation is the state of one run of the DSL: the Config being built and its diagnostics.

#include <map>
#include <set>
#include <unordered_map>
#include <string>
#include <vector>

#include "dsl/body_check.h"
#include "dsl/config.h"
#include "dsl/evaluator.h"
#include "dsl/lua_values.h"
#include "dsl/sandbox.h"
#include "dsl/variable_inputs.h"

namespace stashform::dsl {

/// Evaluation records what the Lua functions of the DSL declare; it owns no Lua state and never
/// raises Lua errors itself (the C functions in globals.cpp do, after it returns).
class Evaluation {
 public:
  /// `folder` is the config folder ("" for a chunk evaluated alone), the first place `import` looks.
  Evaluation(Sandbox& sandbox, const std::vector<const ResourceSchema*>& schemas, const EvalOptions& options,
             std::string folder);

  /// Makes the DSL's globals (namespaces of types, env, secret) in the sandbox; false (with a
  /// diagnostic) when even that does not fit in the memory limit.
  bool InstallGlobals();
  /// Checks what only the whole config can tell: bodies never given, implicit server bindings.
  void Finish();

  Config& config() { return config_; }
  Diagnostics& diagnostics() { return diagnostics_; }
  const std::vector<const ResourceSchema*>& schemas() const { return schemas_; }
  Sandbox& sandbox() { return sandbox_; }

  /// Every declarable type (`bitbucket.webhook`) and data source split into namespace and name.
  struct TypeName {
    std::string ns;
    std::string name;
    const ResourceSchema* schema = nullptr;
    bool is_data = false;  // a data source: called without a name
  };
  const std::vector<TypeName>& type_names() const { return type_names_; }
  /// A result that a C function pushes to Lua after its C++ part has returned.
  std::string& scratch() { return scratch_; }

  /// `bitbucket.webhook "api"`: remembers the declaration until its body arrives.
  /// Returns its index, or sets `error`.
  /// `call_site` is the user's own line when a recipe declares the block at `pos`.
  size_t BeginDeclaration(const ResourceSchema& schema, const std::string& name, SourcePos pos, std::string& error,
                          SourcePos call_site = {});
  /// `{ body }` at the stack index `body`: checks it and records the block. Problems with the
  /// body become diagnostics (evaluation goes on); `error` is set only for what must stop it.
  HandleData CompleteDeclaration(size_t pending, int body, std::string& error);
  /// `bitbucket.webhok`: a diagnostic with a suggestion, once per place.
  void ReportUnknownType(const std::string& ns, const std::string& name, SourcePos pos);
  /// `env "VAR"`: the value, or a diagnostic and "" so that evaluation goes on.
  std::string Env(const std::string& name, SourcePos pos);
  /// `warn "text"`: a warning at `pos` (the user's line when a recipe warns), reported with the
  /// other diagnostics by validate and plan; evaluation goes on.
  void Warn(SourcePos pos, const std::string& message) { diagnostics_.Warning(std::move(pos), "", message); }
  /// Whether the last Env() found the variable unset while unset variables are unknown (validate).
  bool last_env_unknown() const { return last_env_unknown_; }
  /// Whether -env-allow lets the config read `name`.
  bool EnvAllowed(const std::string& name) const;
  /// `variable "n" { ... }`: records it; its value goes to scratch_value().
  void DeclareVariable(const std::string& name, SourcePos pos, int body, std::string& error);
  /// `var.n`: the value goes to scratch_value(); an unknown name is a diagnostic and unknown.
  void ReadVariable(const std::string& name, SourcePos pos);
  /// `output "n" { value, sensitive, description }`.
  void DeclareOutput(const std::string& name, SourcePos pos, int body, std::string& error);
  /// `moved { from, to }`, `removed { from, destroy }`, `import { to, id }`.
  void DeclareMoved(SourcePos pos, int body, std::string& error);
  void DeclareRemoved(SourcePos pos, int body, std::string& error);
  void DeclareImport(SourcePos pos, int body, std::string& error);
  void DeclareUnmanaged(SourcePos pos, int body, std::string& error);
  /// `bitbucket.repositories { ... }`: checks the arguments and asks EvalOptions::read_data; the
  /// result (or unknown) goes to scratch_value().
  void ReadDataSource(const ResourceSchema& schema, SourcePos pos, int body, std::string& error);

  /// `import "name"`: finds name.lua in the config folder, then in the module paths. On success
  /// scratch() holds the chunk name and module_text() the source; else `error` says why.
  void FindModule(const std::string& name, std::string& error);
  const std::string& module_text() const { return module_text_; }

  /// A Value result that a C function pushes after its C++ part has returned.
  Value& scratch_value() { return scratch_value_; }

  /// What `handle.attribute` is: a configured value (servers; in scratch_value()), a reference
  /// (resources; the address in scratch()), or unknown after a diagnostic (no such attribute).
  enum class Attribute { kValue, kReference, kUnknown };
  Attribute ResolveAttribute(const HandleData& handle, const std::string& name, SourcePos pos);
  bool scratch_sensitive() const { return scratch_sensitive_; }

  /// The text of a handle: `bitbucket.webhook["api"]` or `bitbucket.server "corp"`.
  std::string Describe(const HandleData& handle) const;

 private:
  bool last_env_unknown_ = false;
  struct Pending {
    const ResourceSchema* schema = nullptr;
    std::string name;
    SourcePos pos;
    SourcePos call_site;  // the user's line when a recipe declared it; {} otherwise
    std::string module;  // "" in the root; the importing name inside a module
    bool complete = false;
    bool is_data = false;
  };
  struct Body {
    Value::Map attributes;
    std::optional<HandleData> server;
    std::vector<HandleData> depends_on;
    Value lifecycle;
    std::string on_conflict;
  };

  bool ReadBody(const Pending& pending, int index, Body* body);
  // Problems found while reading a body, by key: Lua iterates in hash order, this map does not.
  using ReadProblems = std::multimap<std::string, std::string>;
  bool ReadReservedKey(const Pending& pending, const std::string& key, int index, Body* body, ReadProblems& problems);
  void Report(const Pending& pending, const std::string& message, const std::string& hint = "");
  HandleData RecordServer(const Pending& pending, Body& body);
  HandleData RecordResource(const Pending& pending, Body& body);
  void BindServer(const Pending& pending, const std::optional<HandleData>& server, ResourceBlock& block);
  bool CheckUnique(const Pending& pending, const std::string& key, const std::string& shown);
  void BindImplicitServers();
  // Keyword blocks (evaluation_blocks.cpp).
  struct KeywordBody {
    Value::Map values;
    std::map<std::string, HandleData> handles;
  };
  bool ReadKeywordBody(const std::string& subject, SourcePos pos, int index, const std::vector<std::string>& keys,
                       KeywordBody* body, std::string& error);
  std::optional<ResourceAddress> AddressIn(const std::string& subject, SourcePos pos, const KeywordBody& body,
                                           const std::string& key);
  std::optional<Value> VariableValue(const VariableBlock& variable, const Value* fallback, std::string* error);
  void CheckRefactoringBlocks();
  std::optional<std::string> BindDataServer(const Pending& pending, const std::optional<HandleData>& server);
  const ResourceSchema* SchemaOf(const std::string& type) const;
  ReferenceResolver ReferencedAttribute() const;
  void CheckUnusedInputs();

  Sandbox& sandbox_;
  std::vector<const ResourceSchema*> schemas_;
  EvalOptions options_;
  Config config_;
  Diagnostics diagnostics_;
  std::vector<Pending> pending_;
  std::unordered_map<std::string, SourcePos> declared_at_;  // address → first declaration
  std::vector<size_t> unbound_resources_;           // bound to their server at Finish
  std::vector<TypeName> type_names_;
  std::string scratch_;
  Value scratch_value_;
  bool scratch_sensitive_ = false;
  std::map<std::string, VariableInput> inputs_;
  std::map<std::string, bool> input_used_;
  std::string source_;  // where the last variable's value came from
  std::string folder_;
  std::set<std::string> reported_places_;  // unknown types already reported, as "name@file:line"
  std::string module_text_;
  std::map<std::string, std::string> module_of_file_;  // chunk name → module name
};

/// `bitbucket.webhook "api"`, the subject of a declaration's diagnostics.
std::string DeclarationSubject(const std::string& type, const std::string& name);

}  // namespace stashform::dsl
