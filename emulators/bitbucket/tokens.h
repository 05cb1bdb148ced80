#pragma once
// HTTP access token rules shared by the REST family and the admin API.

#include "emulators/common/http.h"
#include "emulators/bitbucket/model.h"

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace stashform::emulator {

/// Checks a permission list for a token scope ("user" | "project" | "repository"); an answer is a 400.
std::optional<Response> ValidateTokenPermissions(const boost::json::value* permissions, const std::string& scope_type,
                                                 std::vector<std::string>& out);

/// The wire shape of a token (bitbucket-api.md §3.2); the value only when with_secret.
boost::json::object TokenJson(const AccessToken& token, const Model& model, const std::string& base_url,
                              bool with_secret);

}  // namespace stashform::emulator
