#pragma once
// One registration function per endpoint family; each lives in its own file.

#include "emulators/bitbucket/model.h"
#include "emulators/bitbucket/router.h"

#include <boost/json.hpp>

namespace stashform::emulator {

void RegisterCoreRoutes(Router& router);        // core.cpp: application-properties, projects, repos, users
void RegisterProjectWriteRoutes(Router& router);  // project_write.cpp: create projects and repositories
void RegisterRateLimitRoutes(Router& router);   // rate_limit.cpp: /admin/rate-limit/settings
void RegisterWebhookRoutes(Router& router);     // webhooks.cpp
void RegisterTokenRoutes(Router& router);       // tokens.cpp
void RegisterApplinkRoutes(Router& router);     // applinks.cpp
void RegisterOAuth2ClientRoutes(Router& router);  // oauth2_clients.cpp
void RegisterAdminRoutes(Router& router);       // admin.cpp, under /_emulator
void RegisterBranchRoutes(Router& router);      // branches.cpp: branches, default branch
void RegisterFileRoutes(Router& router);        // files.cpp: raw and browse
void RegisterCommitRoutes(Router& router);      // commits.cpp
void RegisterArchiveRoutes(Router& router);     // archive.cpp: tgz, tar.gz, tar, zip

/// Builds a model from the seed document (seed.cpp); throws std::runtime_error naming the bad field.
Model ModelFromSeed(const boost::json::value& seed);
/// Seeds a repository's files, branches and commits from its seed object (content.cpp); throws
/// std::runtime_error naming the bad field.
void SeedRepositoryContent(const std::string& project_key, Repository& repository,
                           const boost::json::object& seed, const std::string& where);

}  // namespace stashform::emulator
