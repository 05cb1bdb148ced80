#include "state/lock_info.h"

#include <pwd.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <ctime>

#include "state/json_text.h"

namespace stashform::state {

namespace json = boost::json;

namespace {

std::string UserName() {
  if (const passwd* entry = getpwuid(geteuid()); entry && entry->pw_name) return entry->pw_name;
  if (const char* user = std::getenv("USER")) return user;
  return "unknown";
}

std::string HostName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) return "unknown";
  return host;
}

std::string NowRfc3339() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

LockInfo NewLockInfo(std::string operation, std::string path) {
  LockInfo info;
  info.operation = std::move(operation);
  info.path = std::move(path);
  return CompleteLockInfo(std::move(info));
}

LockInfo CompleteLockInfo(LockInfo info) {
  if (info.id.empty()) info.id = NewUuid();
  if (info.who.empty()) info.who = UserName() + "@" + HostName();
  if (info.created.empty()) info.created = NowRfc3339();
  return info;
}

std::string EncodeLockInfo(const LockInfo& info) {
  json::object out;
  out["id"] = info.id;
  out["operation"] = info.operation;
  out["who"] = info.who;
  out["created"] = info.created;
  out["path"] = info.path;
  return PrettyJson(out);
}

std::optional<LockInfo> DecodeLockInfo(const std::string& text) {
  Result<json::value> parsed = ParseJson(text, "lock");
  if (!parsed.ok() || !parsed->is_object()) return std::nullopt;
  auto field = [&](const char* key) {
    const json::value* v = parsed->get_object().if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  LockInfo info{field("id"), field("operation"), field("who"), field("created"), field("path")};
  if (info.id.empty()) return std::nullopt;
  return info;
}

std::string LockedMessage(const LockInfo& holder) {
  return "state is locked by " + holder.who + " (" + holder.operation + ", since " + holder.created +
         ", lock ID " + holder.id + "); wait, or run \"stashform force-unlock " + holder.id +
         "\" if that run is dead";
}

}  // namespace stashform::state
