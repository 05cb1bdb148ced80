#pragma once
// The file operations state needs, each crash-safe: whole-file reads and atomic replacement.

#include <optional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <sys/types.h>

#include "base/status.h"

namespace stashform::state {

/// The file's bytes, or nothing when it does not exist. `info`, when given, gets the file's stat.
Result<std::optional<std::string>> ReadFileIfExists(const std::string& path, struct stat* info = nullptr);

/// Replaces `path` with `bytes` so that a crash leaves either the old or the new file, never a mix:
/// temp file in the same folder, fsync, rename, fsync the folder. The file gets `mode`; `written`,
/// when given, gets the new file's stat.
Status WriteFileAtomically(const std::string& path, std::string_view bytes, mode_t mode = 0600,
                           struct stat* written = nullptr);

/// Removes temp files that WriteFileAtomically left beside `path` when its process died before the
/// rename. Only safe while no one else writes `path`: callers hold its lock.
void RemoveLeftoverTempFiles(const std::string& path);

/// Writes all of `bytes` to `fd`, retrying short writes; errors name `path`.
Status WriteAll(int fd, std::string_view bytes, const std::string& path);

/// fsyncs a folder, so that a file created or renamed in it survives a power failure.
Status SyncFolder(const std::string& folder);

/// An error "<what> <path>: <strerror(errno)>".
Status Errno(const std::string& what, const std::string& path);

/// The folder holding `path` ("." for a bare file name).
std::string ParentFolder(const std::string& path);

}  // namespace stashform::state
