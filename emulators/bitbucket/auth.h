#pragma once
// Who is asking (Basic password, Basic with a personal token, Bearer token) and what they may do.
// Auth never answers a request itself; handlers turn a refusal into the 401 envelope.

#include "emulators/common/http.h"
#include "emulators/bitbucket/model.h"

#include <optional>
#include <string>

namespace stashform::emulator {

/// Principal is the authenticated caller: a user, or a project/repository token acting on its own.
struct Principal {
  std::string name;  // for X-AUSERNAME
  int id = 0;        // for X-AUSERID
  User* user = nullptr;           // null for project/repository tokens
  AccessToken* token = nullptr;   // set when a token authenticated the request
};

struct AuthResult {
  std::optional<Principal> principal;  // empty: anonymous
  bool rejected = false;               // credentials were sent but are wrong
};

/// Reads the Authorization header; marks a token as used when one authenticates.
AuthResult Authenticate(const Request& request, Model& model);

bool IsSysAdmin(const Principal* principal);
/// Tokens may not act "on behalf of a user": create tokens, manage links (bitbucket-api.md §1.2).
bool IsTokenAuthenticated(const Principal* principal);
bool MayOnProject(const Principal* principal, const Project& project, Level needed);
bool MayOnRepository(const Principal* principal, const Project& project, const Repository& repository,
                     Level needed);

}  // namespace stashform::emulator
