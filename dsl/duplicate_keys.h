#pragma once
// Two blocks of one config with the same natural key on the same server would manage one remote
// object (the lookup before a create adopts the first one's object for the second): refused at
// validate and plan, while the config is evaluated: before any call to a server.

#include <vector>

#include "base/diagnostics.h"
#include "base/schema.h"
#include "dsl/config.h"

namespace stashform::dsl {

/// Adds an error at the later block for each pair of blocks of one type and server whose natural
/// keys are known and equal. Keys with a reference or an unknown value are skipped: only apply
/// knows them, and its lookup before the create still keeps the server free of duplicates.
void CheckDuplicateNaturalKeys(const Config& config, const std::vector<const ResourceSchema*>& schemas,
                               Diagnostics& diagnostics);

}  // namespace stashform::dsl
