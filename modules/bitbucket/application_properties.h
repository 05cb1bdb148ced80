#pragma once
// bitbucket.application_properties: the data source that reads the server's version
// (GET /rest/api/1.0/application-properties), so that a recipe can choose by it (Private
// Packagist's OAuth 1 link cannot set up synchronizations on Bitbucket 8 and later).

#include "modules/bitbucket/api.h"
#include "base/schema.h"
#include "base/value.h"

namespace stashform::bitbucket {

const ResourceSchema& ApplicationPropertiesSchema();

/// {version, build_number, display_name, major, minor}; major and minor are 0 when the version
/// is not dotted numbers.
Result<Value> ReadApplicationProperties(const BitbucketApi& api);

}  // namespace stashform::bitbucket
