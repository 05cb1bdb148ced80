// GET …/archive?format=zip|tar|tgz|tar.gz&at=&prefix=&path=&filename=: the repository's files at a
// revision as a real archive (Backstage's URL reader reads trees as tgz). Tar and gzip are written
// here with zlib's gzip stream; zip entries are stored (a valid zip; no compression needed here).
#include "emulators/bitbucket/content.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"

#include <zlib.h>

#include <cstdio>
#include <cstring>

namespace stashform::emulator {

namespace {

constexpr const char* kRepository = "/rest/api/latest/projects/{projectKey}/repos/{repositorySlug}";

struct Entry {
  std::string name;  // with the prefix
  const std::string* content = nullptr;
};

void PutOctal(char* field, std::size_t width, std::uint64_t value) {
  std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1), static_cast<unsigned long long>(value));
}

/// One ustar header; a name over 100 bytes is split at a '/' into the prefix field.
std::string TarHeader(const Entry& entry, std::int64_t mtime_seconds) {
  char header[512];
  std::memset(header, 0, sizeof header);
  std::string name = entry.name, prefix;
  if (name.size() > 100) {
    auto slash = name.rfind('/', 155);
    if (slash != std::string::npos) {
      prefix = name.substr(0, slash);
      name = name.substr(slash + 1);
    }
  }
  std::memcpy(header, name.data(), std::min<std::size_t>(name.size(), 100));
  PutOctal(header + 100, 8, 0644);
  PutOctal(header + 108, 8, 0);
  PutOctal(header + 116, 8, 0);
  PutOctal(header + 124, 12, entry.content->size());
  PutOctal(header + 136, 12, static_cast<std::uint64_t>(mtime_seconds));
  header[156] = '0';
  std::memcpy(header + 257, "ustar", 6);
  std::memcpy(header + 263, "00", 2);
  std::memcpy(header + 345, prefix.data(), std::min<std::size_t>(prefix.size(), 155));
  std::memset(header + 148, ' ', 8);  // the checksum counts its own field as spaces
  unsigned sum = 0;
  for (unsigned char c : header) sum += c;
  std::snprintf(header + 148, 8, "%06o", sum);
  return std::string(header, sizeof header);
}

std::string Tar(const std::vector<Entry>& entries, std::int64_t mtime_seconds) {
  std::string out;
  for (const auto& entry : entries) {
    out += TarHeader(entry, mtime_seconds);
    out += *entry.content;
    out.append((512 - entry.content->size() % 512) % 512, '\0');
  }
  out.append(1024, '\0');  // two empty blocks end the archive
  return out;
}

std::string Gzip(const std::string& bytes) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);  // +16: gzip wrapper
  std::string out(deflateBound(&stream, bytes.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

void Put16(std::string& out, unsigned value) {
  out += static_cast<char>(value & 0xff);
  out += static_cast<char>((value >> 8) & 0xff);
}
void Put32(std::string& out, std::uint32_t value) {
  Put16(out, value & 0xffff);
  Put16(out, value >> 16);
}

/// A zip of stored entries: local headers with the data, the central directory, its end record.
std::string Zip(const std::vector<Entry>& entries) {
  std::string out, central;
  const unsigned dos_time = 0, dos_date = (1 << 5) | 1 | ((2020 - 1980) << 9);  // 2020-01-01 00:00
  for (const auto& entry : entries) {
    const auto size = static_cast<std::uint32_t>(entry.content->size());
    const auto crc = static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(entry.content->data()), static_cast<uInt>(size)));
    const auto offset = static_cast<std::uint32_t>(out.size());
    Put32(out, 0x04034b50);
    for (unsigned field : {20u, 0u, 0u, dos_time, dos_date}) Put16(out, field);  // version, flags, stored
    for (std::uint32_t field : {crc, size, size}) Put32(out, field);
    Put16(out, static_cast<unsigned>(entry.name.size()));
    Put16(out, 0);
    out += entry.name + *entry.content;
    Put32(central, 0x02014b50);
    for (unsigned field : {20u, 20u, 0u, 0u, dos_time, dos_date}) Put16(central, field);
    for (std::uint32_t field : {crc, size, size}) Put32(central, field);
    for (unsigned field : {static_cast<unsigned>(entry.name.size()), 0u, 0u, 0u, 0u}) Put16(central, field);
    Put32(central, 0100644u << 16);  // external attributes: a regular file, rw-r--r--
    Put32(central, offset);
    central += entry.name;
  }
  const auto directory_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  Put32(out, 0x06054b50);
  for (unsigned field : {0u, 0u, static_cast<unsigned>(entries.size()), static_cast<unsigned>(entries.size())})
    Put16(out, field);
  Put32(out, static_cast<std::uint32_t>(central.size()));
  Put32(out, directory_offset);
  Put16(out, 0);
  return out;
}

bool UnderAny(const std::string& path, const std::vector<std::string>& roots) {
  if (roots.empty()) return true;
  for (const auto& root : roots) {
    std::string clean = root;
    while (!clean.empty() && clean.back() == '/') clean.pop_back();
    if (clean.empty() || path == clean || path.rfind(clean + "/", 0) == 0) return true;
  }
  return false;
}

Response Archive(Call& call) {
  auto found = ReadableRepository(call);
  if (auto* error = std::get_if<Response>(&found)) return *error;
  const Repository& repository = *std::get<RepositoryRef>(found).repository;
  const std::string format = call.request.Query("format").value_or("zip");
  if (format != "zip" && format != "tar" && format != "tgz" && format != "tar.gz")
    return ValidationError("format", "Unsupported archive format: " + format + " (zip, tar, tgz or tar.gz)");
  auto revision = ResolveRevision(repository, call.request.Query("at"));
  if (auto* error = std::get_if<Response>(&revision)) return *error;
  std::string prefix = call.request.Query("prefix").value_or("");
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';  // as the server adds one
  const std::vector<std::string> roots = call.request.QueryAll("path");
  std::vector<Entry> entries;
  for (const auto& [path, content] : repository.files)
    if (UnderAny(path, roots)) entries.push_back({prefix + path, &content});
  if (entries.empty() && !roots.empty()) {
    return ErrorResponse(404, "The path \"" + roots.front() + "\" does not exist at revision \"" +
                                  std::get<Revision>(revision).ref + "\"",
                         std::nullopt, "com.atlassian.bitbucket.content.NoSuchPathException");
  }
  const Commit& commit = *std::get<Revision>(revision).commit;
  Response response;
  std::string extension = format == "tgz" ? "tar.gz" : format;
  if (format == "zip") {
    response.body = Zip(entries);
    response.SetHeader("Content-Type", "application/zip");
  } else {
    response.body = Tar(entries, commit.timestamp / 1000);
    if (format != "tar") response.body = Gzip(response.body);
    response.SetHeader("Content-Type", format == "tar" ? "application/x-tar" : "application/x-gzip");
  }
  std::string filename = call.request.Query("filename").value_or(repository.slug + "-" + commit.id.substr(0, 11) + "." + extension);
  response.SetHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return response;
}

}  // namespace

void RegisterArchiveRoutes(Router& router) { router.Add("GET", std::string(kRepository) + "/archive", Archive); }

}  // namespace stashform::emulator
