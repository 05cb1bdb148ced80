#include "modules/bitbucket/resource_util.h"

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <thread>

namespace stashform::bitbucket {

namespace json = boost::json;

int64_t IntAttr(const Value::Map& map, const std::string& key, int64_t fallback) {
  auto it = map.find(key);
  return it != map.end() && it->second.is_int() ? it->second.as_int() : fallback;
}

bool BoolAttr(const Value::Map& map, const std::string& key, bool fallback) {
  auto it = map.find(key);
  return it != map.end() && it->second.is_bool() ? it->second.as_bool() : fallback;
}

std::string JsonId(const json::value& object, const char* field) {
  const json::value* id = object.is_object() ? object.as_object().if_contains(field) : nullptr;
  if (!id) return "";
  if (id->is_int64()) return std::to_string(id->as_int64());
  if (id->is_uint64()) return std::to_string(id->as_uint64());
  if (id->is_string()) return std::string(id->as_string());
  return "";
}

std::string JsonString(const json::value& object, const char* field) {
  const json::value* v = object.is_object() ? object.as_object().if_contains(field) : nullptr;
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

int64_t JsonInt(const json::value& object, const char* field, int64_t fallback) {
  const json::value* v = object.is_object() ? object.as_object().if_contains(field) : nullptr;
  if (!v) return fallback;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  // Converting a double outside int64's range is undefined behaviour.
  if (v->is_double())
    return v->as_double() >= -0x1p63 && v->as_double() < 0x1p63 ? static_cast<int64_t>(v->as_double()) : fallback;
  if (v->is_string()) {
    int64_t out = fallback;
    auto text = v->as_string();
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec == std::errc() && end == text.data() + text.size()) return out;
  }
  return fallback;
}

std::string CheckHttpUrl(const Value& value) { return CheckAbsoluteHttpUrl(value); }

AttributeCheck BitbucketText(size_t max) { return TextOfLength(1, max, "Bitbucket"); }

provider::PlanResponse PlanWithPrivateAttributes(const ResourceSchema& schema, const provider::PlanRequest& request,
                                                 const std::vector<std::string>& private_attributes) {
  auto response = provider::PlanBySchema(schema, request);
  if (!request.creating)
    for (const auto& name : private_attributes) response.planned.erase(name);
  return response;
}

provider::ApplyResponse DeleteObject(const BitbucketApi& api, const std::string& path, const std::string& id) {
  return DeleteAnswer(api.Call("DELETE", path).status(), id);
}

provider::ImportResponse NotFoundIsError(provider::ImportResponse response, const std::string& type,
                                         const std::string& id, const std::string& what) {
  if (!response.found && !response.diagnostics.HasErrors())
    response.diagnostics.Error({}, "", type + " \"" + id + "\": " + what);
  return response;
}

void ForEachConcurrently(size_t count, int workers, const std::function<void(size_t)>& work) {
  const size_t threads = std::min(count, static_cast<size_t>(std::max(1, workers)));
  if (threads <= 1) {
    for (size_t i = 0; i < count; ++i) work(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (size_t t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (size_t i = next++; i < count; i = next++) work(i);
    });
  for (auto& thread : pool) thread.join();
}

std::vector<std::string> ListAttr(const Value::Map& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? std::vector<std::string>{} : it->second.StringItems();
}

}  // namespace stashform::bitbucket
