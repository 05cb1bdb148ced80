#pragma once
// How the CLI shows a refresh's progress. It writes to stderr only, so plan -json and every other
// rendering on stdout stay the same whether or not anything is shown.

#include "reconciler/cli/commands.h"
#include "reconciler/engine/refresh.h"

namespace stashform::cli {

/// On a terminal (stderr), a line that rewrites itself: `Refreshing [done/total] N reads/s, about
/// Ts left`, shown only once a refresh has taken a second, ended by a newline. Elsewhere (CI logs),
/// `ADDRESS: Refreshing state... [id=ID]` for every read as it ends. Ids only, never attribute values.
engine::RefreshProgress ShowRefreshProgress(Io& io);

}  // namespace stashform::cli
