#pragma once
// spacelift.stack: a Spacelift stack whose VCS is Bitbucket Data Center, created, updated and
// deleted with the documents Spacelift's Terraform provider sends (stackCreate, stackUpdate,
// stackDelete; spacelift-graphql.md §4), read with stack(id), imported by id.

#include "modules/spacelift/api.h"
#include "modules/provider/provider.h"

namespace stashform::spacelift {

const ResourceSchema& StackSchema();

/// StackType owns the whole stack, as the provider's spacelift_stack does: every write sends a full
/// StackInput built from the config (hooks and other fields it does not model are sent empty).
class StackType : public provider::ResourceType {
 public:
  explicit StackType(const SpaceliftApi& api) : api_(api) {}

  const ResourceSchema& schema() const override { return StackSchema(); }
  provider::ReadResponse Read(const provider::ReadRequest& request) override;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
  provider::ImportResponse Import(const std::string& id) override;
  provider::ImportResponse Find(const Value::Map& natural_key) override;

 private:
  provider::ApplyResponse Delete(const provider::ApplyRequest& request);
  const SpaceliftApi& api_;
};

/// The StackInput the provider sends for these attributes (§4.3), keys in its order.
boost::json::object StackInputFromAttributes(const Value::Map& planned);

/// The error for a stack answer that is neither null nor an object (a read, a bind, an import).
std::string NotAStack(const std::string& id);

/// The stack's attributes from a stack answer object.
Value::Map StackFromJson(const boost::json::value& stack);

}  // namespace stashform::spacelift
