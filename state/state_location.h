#pragma once
// Where a state lives, as the user names it: a file path, or a postgres:// URL (see
// state/postgres_connection.h). One place turns that name into a store, the workspaces of that
// place, or whether a state exists there.

#include <memory>
#include <string>

#include "state/store.h"
#include "state/workspaces.h"

namespace stashform::state {

/// The store at `where`: OpenLocalStore for a path, the PostgreSQL store for a URL. Opening
/// touches nothing; a bad URL fails on first use with a message that never shows its password.
std::unique_ptr<StateStore> OpenStateStore(const std::string& where, StateStoreOptions options = {});
/// The workspaces of the place whose default workspace is at `where`.
Result<std::unique_ptr<WorkspaceCatalog>> OpenWorkspaces(const std::string& where);
/// Whether a state was ever written at `where`.
Result<bool> StateExistsAt(const std::string& where);
/// `where` as it may be printed: a URL's password replaced by (sensitive).
std::string DescribeLocation(const std::string& where);

}  // namespace stashform::state
