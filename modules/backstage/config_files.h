#pragma once
// ConfigFiles is the one side effect of modules/backstage: reading and replacing whole files.
// LocalConfigFiles is the real one (temp file + fsync + rename, mode 0600); unit tests hand in a
// fake (tests/modules/backstage/fake_config_files.h).

#include <memory>
#include <optional>
#include <string>

#include "base/status.h"

namespace stashform::backstage {

/// ConfigFiles reads, replaces and removes whole files; it never parses them.
class ConfigFiles {
 public:
  virtual ~ConfigFiles() = default;
  /// The file's bytes, or nullopt when it does not exist.
  virtual Result<std::optional<std::string>> Read(const std::string& path) = 0;
  /// Replaces the file as one step: a crash leaves the old file or the new one, never half of one.
  /// The file gets mode 0600 (it may hold secrets).
  virtual Status Write(const std::string& path, const std::string& text) = 0;
  /// Removes the file; a file that does not exist is not an error.
  virtual Status Remove(const std::string& path) = 0;
};

/// LocalConfigFiles works on the local file system.
class LocalConfigFiles : public ConfigFiles {
 public:
  Result<std::optional<std::string>> Read(const std::string& path) override;
  Status Write(const std::string& path, const std::string& text) override;
  Status Remove(const std::string& path) override;
};

}  // namespace stashform::backstage
