#pragma once
// spacelift.stacks: a data source listing the account's stacks with their VCS binding, so that a
// config can loop over them and drift can find stacks left detached by a deleted integration.

#include "modules/spacelift/api.h"
#include "base/schema.h"

namespace stashform::spacelift {

const ResourceSchema& StacksDataSourceSchema();

/// Items: id, name, namespace, repository, branch, provider, integration (null when unbound) and
/// detached (a Bitbucket Data Center stack with no integration). Filters: namespace, repository,
/// detached.
Result<Value> ReadStacks(const SpaceliftApi& api, const Value::Map& arguments);

/// Every stack of the account through searchStacks, 50 a page, each as stack(id) answers it:
/// what a binding reads, for refreshing many at once.
Result<boost::json::array> ListStacks(const SpaceliftApi& api);

/// stack(id) and stackUpdate as the provider sends them; bindings and managed stacks both use them.
extern const Operation kStackRead;
extern const Operation kStackUpdate;

}  // namespace stashform::spacelift
