#include "state/codec_paths.h"

#include <boost/json.hpp>

namespace stashform::state {

namespace {

bool NeedsQuoting(const std::string& key) {
  if (key.empty()) return true;
  for (char c : key)
    if (c == '.' || c == '[' || c == ']' || c == '"' || c == '\\') return true;
  return false;
}

std::string KeySegment(const std::string& prefix, const std::string& key) {
  if (NeedsQuoting(key)) return prefix + "[" + boost::json::serialize(boost::json::string_view(key)) + "]";
  return prefix.empty() ? key : prefix + "." + key;
}

void Collect(const Value& value, const std::string& path, std::vector<std::string>& out) {
  // An outer mark covers everything inside, so its path alone restores the whole subtree's secrecy.
  if (value.sensitive()) {
    out.push_back(path);
    return;
  }
  if (value.is_map()) {
    for (const auto& [key, item] : value.as_map()) Collect(item, KeySegment(path, key), out);
  } else if (value.is_list()) {
    for (size_t i = 0; i < value.as_list().size(); ++i)
      Collect(value.as_list()[i], path + "[" + std::to_string(i) + "]", out);
  }
}

// One step of a path: a map key or a list index.
struct Segment {
  std::optional<std::string> key;
  size_t index = 0;
};

// Reads the JSON string starting at path[pos] (a '"') and the ']' after it.
std::optional<std::string> ParseQuoted(const std::string& path, size_t& pos) {
  size_t end = pos + 1;
  while (end < path.size() && path[end] != '"') end += path[end] == '\\' ? 2 : 1;
  if (end + 1 >= path.size() || path[end + 1] != ']') return std::nullopt;
  boost::json::error_code ec;
  auto parsed = boost::json::parse(path.substr(pos, end - pos + 1), ec);
  if (ec || !parsed.is_string()) return std::nullopt;
  pos = end + 2;
  return std::string(parsed.get_string());
}

std::optional<std::vector<Segment>> ParsePath(const std::string& path) {
  std::vector<Segment> segments;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path.compare(pos, 2, "[\"") == 0) {
      ++pos;
      auto key = ParseQuoted(path, pos);
      if (!key) return std::nullopt;
      segments.push_back({std::move(key), 0});
    } else if (path[pos] == '[') {
      size_t close = path.find(']', pos);
      if (close == std::string::npos || close == pos + 1) return std::nullopt;
      std::string digits = path.substr(pos + 1, close - pos - 1);
      if (digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
      segments.push_back({std::nullopt, std::stoul(digits)});
      pos = close + 1;
    } else {
      if (path[pos] == '.') {
        if (segments.empty()) return std::nullopt;
        ++pos;
      }
      size_t end = path.find_first_of(".[", pos);
      if (end == pos) return std::nullopt;
      std::string key = path.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      segments.push_back({std::move(key), 0});
      pos = end == std::string::npos ? path.size() : end;
    }
  }
  if (segments.empty() || !segments.front().key) return std::nullopt;
  return segments;
}

}  // namespace

std::vector<std::string> SensitivePaths(const Value::Map& map) {
  std::vector<std::string> out;
  for (const auto& [key, value] : map) Collect(value, KeySegment("", key), out);
  return out;
}

bool MarkSensitivePath(Value::Map& map, const std::string& path) {
  auto segments = ParsePath(path);
  if (!segments) return false;
  auto it = map.find(*segments->front().key);
  if (it == map.end()) return false;
  Value* value = &it->second;
  for (size_t i = 1; i < segments->size(); ++i) {
    const Segment& step = (*segments)[i];
    if (step.key && value->is_map()) {
      auto found = value->as_map().find(*step.key);
      if (found == value->as_map().end()) return false;
      value = &found->second;
    } else if (!step.key && value->is_list() && step.index < value->as_list().size()) {
      value = &value->as_list()[step.index];
    } else {
      return false;
    }
  }
  value->MarkSensitive();
  return true;
}

}  // namespace stashform::state
