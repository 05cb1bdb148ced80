#pragma once
// The Backstage provider: the `backstage.instance` block (where the backend runs, for the URLs a
// recipe derives) and backstage.app_config. Backstage has no runtime API for its integrations
// (platforms.md §4.1): the only remote object is a config file, so no HTTP client is made.

#include <memory>

#include "modules/backstage/config_files.h"
#include "modules/provider/provider.h"

namespace stashform::backstage {

const ResourceSchema& InstanceSchema();

/// The provider the CLI registers; files default to the local file system.
std::unique_ptr<provider::Provider> MakeBackstageProvider(std::shared_ptr<ConfigFiles> files = nullptr);

}  // namespace stashform::backstage
