#pragma once
// Wire shapes of the shared entities (RestProject, RestRepository, RestApplicationUser), as the
// fixtures in bitbucket-api.md §1.7 show them. Family-specific shapes live with their family.

#include "emulators/bitbucket/model.h"

#include <boost/json.hpp>

#include <string>

namespace stashform::emulator {

boost::json::object ProjectJson(const Project& project, const std::string& base_url);
boost::json::object RepositoryJson(const Project& project, const Repository& repository, const std::string& base_url);
boost::json::object UserJson(const User& user, const std::string& base_url);

}  // namespace stashform::emulator
