#include "modules/backstage/config_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace stashform::backstage {

namespace {

Status Failed(const std::string& what, const std::string& path) {
  return Status::Error(StatusCode::kFailedPrecondition, what + " " + path + ": " + std::strerror(errno));
}

// Writes all of `text` to `fd`, then flushes it to the disk.
bool WriteAndSync(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return ::fsync(fd) == 0;
}

// The rename is durable only once the folder's entry is on the disk too.
void SyncFolder(const std::filesystem::path& folder) {
  int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

Result<std::optional<std::string>> LocalConfigFiles::Read(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (errno == ENOENT) return std::optional<std::string>();
    return Failed("cannot read", path);
  }
  std::stringstream text;
  text << file.rdbuf();
  return std::optional<std::string>(text.str());
}

Status LocalConfigFiles::Write(const std::string& path, const std::string& text) {
  const std::filesystem::path target(path);
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Failed("cannot create", temp);
  ::fchmod(fd, 0600);  // O_CREAT's mode passes through the umask; the file may hold secrets
  if (!WriteAndSync(fd, text)) {
    Status status = Failed("cannot write", temp);
    ::close(fd);
    ::unlink(temp.c_str());
    return status;
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Status status = Failed("cannot replace", path);
    ::unlink(temp.c_str());
    return status;
  }
  SyncFolder(target.parent_path());
  return Status::Ok();
}

Status LocalConfigFiles::Remove(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Failed("cannot remove", path);
  SyncFolder(std::filesystem::path(path).parent_path());
  return Status::Ok();
}

}  // namespace stashform::backstage
