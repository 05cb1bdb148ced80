#pragma once
// The Bitbucket data sources: bitbucket.repositories and bitbucket.projects, each one paged
// listing, and bitbucket.application_properties, one GET; read at evaluation time into plain data (a list of maps) for the config.

#include "modules/bitbucket/api.h"
#include "base/schema.h"
#include "base/value.h"

namespace stashform::bitbucket {

const ResourceSchema& RepositoriesSchema();
const ResourceSchema& ProjectsSchema();
/// bitbucket.application_properties: the server's version (one GET), for minimum-version checks.
const ResourceSchema& ApplicationPropertiesSchema();

/// Reads `type` (one of the schemas above) with its arguments; an unknown type is an error.
Result<Value> ReadBitbucketDataSource(const BitbucketApi& api, const std::string& type, const Value::Map& arguments);

}  // namespace stashform::bitbucket
