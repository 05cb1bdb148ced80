#pragma once
// spacelift.stack_binding: binds an existing Spacelift stack to a Bitbucket Data Center
// integration, project (namespace), repository and branch. It manages only those fields: every
// write reads the whole stack and sends it back through stackUpdate with just them changed.
// Deleting a binding leaves the stack as it is (docs/spacelift.md says why).

#include "modules/spacelift/api.h"
#include "modules/provider/provider.h"

namespace stashform::spacelift {

const ResourceSchema& StackBindingSchema();

/// The notes a Read gives when a stack is not bound to the integration its binding records:
/// the integration is gone (Spacelift nulls the reference), the stack was unbound while the
/// integration stays, or it was bound to another integration (named after the prefix).
inline constexpr const char* kDetachedNote = "stack detached: integration deleted";
inline constexpr const char* kUnboundNote = "stack detached: not bound";
inline constexpr const char* kRebound = "stack bound to another integration";

class StackBindingType : public provider::ResourceType {
 public:
  explicit StackBindingType(const SpaceliftApi& api) : api_(api) {}

  const ResourceSchema& schema() const override { return StackBindingSchema(); }
  provider::ReadResponse Read(const provider::ReadRequest& request) override;
  /// One `stacks` query serves a whole refresh; when the account cannot list (the query is
  /// INFERRED, not the provider's), each binding is read on its own.
  std::vector<provider::ReadResponse> ReadMany(const std::vector<provider::ReadRequest>& requests,
                                               const provider::ReadDone& done = {}) override;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
  provider::ImportResponse Import(const std::string& id) override;
  provider::ImportResponse Find(const Value::Map& natural_key) override;
  /// Stacks left detached (their integration deleted) that no binding in state manages.
  std::vector<provider::UnmanagedObject> ListUnmanaged(const std::vector<provider::ReadRequest>& managed,
                                                       Diagnostics& diagnostics) override;

 private:
  provider::ApplyResponse Bind(const provider::ApplyRequest& request);
  const SpaceliftApi& api_;
};

/// The binding's attributes from a stack answer object.
Value::Map BindingFromStack(const boost::json::value& stack);

/// A full StackInput rebuilt from a stack answer (spacelift-graphql.md §4.3), so that an update
/// changes nothing but what the caller then sets.
boost::json::object StackInputFromStack(const boost::json::value& stack);

}  // namespace stashform::spacelift
