#pragma once
// FakeConfigFiles keeps files in memory and records every write, for unit tests of
// modules/backstage without a disk.

#include <map>
#include <string>
#include <vector>

#include "modules/backstage/config_files.h"

namespace stashform::backstage::testing {

/// FakeConfigFiles is a map of path → text; a write can be made to fail.
class FakeConfigFiles : public ConfigFiles {
 public:
  Result<std::optional<std::string>> Read(const std::string& path) override {
    reads.push_back(path);
    auto it = files.find(path);
    if (it == files.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Status Write(const std::string& path, const std::string& text) override {
    if (fail_writes) return Status::Error(StatusCode::kFailedPrecondition, "cannot write " + path + ": disk full");
    writes.push_back(path);
    files[path] = text;
    return Status::Ok();
  }
  Status Remove(const std::string& path) override {
    removes.push_back(path);
    files.erase(path);
    return Status::Ok();
  }

  std::map<std::string, std::string> files;
  std::vector<std::string> reads;
  std::vector<std::string> writes;
  std::vector<std::string> removes;
  bool fail_writes = false;
};

}  // namespace stashform::backstage::testing
