#include "state/lock_info.h"

#include <boost/json.hpp>

#include "base/time.h"
#include "base/who.h"
#include "state/json_text.h"
#include "state/state.h"

namespace stashform::state {

namespace json = boost::json;

LockInfo NewLockInfo(std::string operation, std::string what) {
  LockInfo info;
  info.operation = std::move(operation);
  info.what = std::move(what);
  return CompleteLockInfo(std::move(info));
}

LockInfo CompleteLockInfo(LockInfo info) {
  if (info.id.empty()) info.id = NewUuid();
  if (info.who.empty()) info.who = WhoRunsThis();
  if (info.created.empty()) info.created = NowRfc3339();
  return info;
}

std::string EncodeLockInfo(const LockInfo& info) {
  json::object out;
  out["id"] = info.id;
  out["operation"] = info.operation;
  out["who"] = info.who;
  out["created"] = info.created;
  out["path"] = info.what;  // "path" since the first lock files: kept for compatibility
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
