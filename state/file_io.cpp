#include "state/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace stashform::state {

Status Errno(const std::string& what, const std::string& path) {
  return Status::Error(what + " " + path + ": " + std::strerror(errno));
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("cannot write", path);
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status SyncFolder(const std::string& folder) {
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open folder", folder);
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Errno("cannot sync folder", folder);
}

namespace {

// Writes the temp file completely and durably; the caller renames it into place.
Status WriteTemp(int fd, const std::string& temp, std::string_view bytes, mode_t mode, struct stat* written) {
  if (::fchmod(fd, mode) != 0) return Errno("cannot set mode of", temp);
  if (Status s = WriteAll(fd, bytes, temp); !s.ok()) return s;
  if (::fsync(fd) != 0) return Errno("cannot sync", temp);
  if (written && ::fstat(fd, written) != 0) return Errno("cannot stat", temp);
  return Status::Ok();
}

}  // namespace

std::string ParentFolder(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

void RemoveLeftoverTempFiles(const std::string& path) {
  std::string prefix = std::filesystem::path(path).filename().string() + ".tmp.";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(ParentFolder(path), ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() == prefix.size() + 6 && name.compare(0, prefix.size(), prefix) == 0)
      std::filesystem::remove(entry.path(), ec);  // best effort: a leftover is untidy, not unsafe
  }
}

Result<std::optional<std::string>> ReadFileIfExists(const std::string& path, struct stat* stat_out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return std::optional<std::string>();
  if (fd < 0) return Errno("cannot read", path);
  std::string bytes;
  struct stat info {};
  // Reserving the size avoids the doubling growth that would hold up to twice a large state's text.
  if (::fstat(fd, &info) == 0 && info.st_size > 0) bytes.reserve(static_cast<size_t>(info.st_size));
  if (stat_out) *stat_out = info;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status error = Errno("cannot read", path);
      ::close(fd);
      return error;
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return std::optional<std::string>(std::move(bytes));
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes, mode_t mode, struct stat* written_stat) {
  std::string temp = path + ".tmp.XXXXXX";
  int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return Errno("cannot create a temporary file beside", path);
  Status written = WriteTemp(fd, temp, bytes, mode, written_stat);
  if (::close(fd) != 0 && written.ok()) written = Errno("cannot close", temp);
  if (written.ok() && ::rename(temp.c_str(), path.c_str()) != 0) written = Errno("cannot replace", path);
  if (!written.ok()) {
    ::unlink(temp.c_str());
    return written;
  }
  return SyncFolder(ParentFolder(path));
}

}  // namespace stashform::state
