#pragma once
// packagist.synchronizations: the data source that lists an organization's synchronizations
// (GET /api/synchronizations/), e.g. to check that the Bitbucket integration made in the UI exists.

#include "base/schema.h"
#include "base/value.h"
#include "modules/packagist/api.h"

namespace stashform::packagist {

const ResourceSchema& SynchronizationsSchema();

/// Every synchronization, or those whose integration URL is `bitbucket_url` (trailing slashes
/// ignored); each item has id, name, is_primary, integration_name, integration_target,
/// integration_url and credentials.
Result<Value> ReadSynchronizations(const PackagistApi& api, const Value::Map& arguments);

}  // namespace stashform::packagist
