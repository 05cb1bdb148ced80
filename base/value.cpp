#include "base/value.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdint>
#include <set>

namespace stashform {

namespace json = boost::json;

namespace {

// Stable: a state file's object of a dozen keys in its own order (every resource's envelope) is
// sorted as indices, then each entry is moved once into its place, instead of the many moves (and
// the buffer allocated first) of std::stable_sort.
template <typename Less>
Value::Map::sequence_type SortedSmall(Value::Map::sequence_type& entries, Less less) {
  std::array<uint8_t, 32> order{};
  const size_t size = entries.size();
  for (size_t i = 0; i < size; ++i) {
    size_t hole = i;
    for (; hole > 0 && less(entries[i], entries[order[hole - 1]]); --hole) order[hole] = order[hole - 1];
    order[hole] = static_cast<uint8_t>(i);
  }
  Value::Map::sequence_type sorted;
  sorted.reserve(size);
  for (size_t i = 0; i < size; ++i) sorted.push_back(std::move(entries[order[i]]));
  return sorted;
}

}  // namespace

Value::Map MapOfEntries(Value::Map::sequence_type entries) {
  auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!std::is_sorted(entries.begin(), entries.end(), by_key)) {
    if (entries.size() <= 32) entries = SortedSmall(entries, by_key);
    else std::stable_sort(entries.begin(), entries.end(), by_key);
  }
  // Of equal keys, now adjacent in their order of appearance, the last one stays.
  auto kept = entries.begin();
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    auto next = std::next(it);
    if (next != entries.end() && next->first == it->first) continue;
    if (kept != it) *kept = std::move(*it);
    ++kept;
  }
  entries.erase(kept, entries.end());
  Value::Map map;
  map.adopt_sequence(boost::container::ordered_unique_range, std::move(entries));
  return map;
}

std::string StringField(const Value::Map& map, const std::string& key) {
  auto it = map.find(key);
  return it != map.end() && it->second.is_string() ? it->second.as_string() : "";
}

Value Value::StringList(const std::vector<std::string>& items) {
  List list;
  list.reserve(items.size());
  for (const auto& item : items) list.emplace_back(item);
  return Value(std::move(list));
}

Value Value::Ref(std::string address, std::string attribute) {
  Value v;
  v.data_ = BoxedReference{std::make_shared<const Reference>(Reference{std::move(address), std::move(attribute)})};
  return v;
}

Value Value::Join(std::vector<Value> parts) {
  // Adjacent plain strings merge; a join of plain strings is a plain string.
  std::vector<Value> merged;
  bool sensitive = false;
  for (auto& part : parts) {
    sensitive = sensitive || part.sensitive();
    if (part.is_concat()) {
      for (const auto& inner : part.as_concat().parts) merged.push_back(inner);
      continue;
    }
    if (part.is_string() && !merged.empty() && merged.back().is_string() && !part.sensitive() &&
        !merged.back().sensitive()) {
      merged.back() = Value(merged.back().as_string() + part.as_string());
      continue;
    }
    merged.push_back(std::move(part));
  }
  Value v;
  if (merged.size() == 1 && merged[0].is_string()) {
    v = merged[0];
  } else if (std::all_of(merged.begin(), merged.end(), [](const Value& p) { return p.is_string(); })) {
    std::string text;
    for (const auto& part : merged) text += part.as_string();
    v = Value(std::move(text));
  } else {
    v.data_ = Concat{std::move(merged)};
  }
  if (sensitive) v.MarkSensitive();
  return v;
}

void Value::CollectReferences(std::vector<Reference>& out) const {
  switch (kind()) {
    case Kind::kReference: out.push_back(as_reference()); break;
    case Kind::kConcat:
      for (const auto& part : as_concat().parts) part.CollectReferences(out);
      break;
    case Kind::kList:
      for (const auto& item : as_list()) item.CollectReferences(out);
      break;
    case Kind::kMap:
      for (const auto& [key, item] : as_map()) item.CollectReferences(out);
      break;
    default: break;
  }
}

bool Value::ContainsReference() const {
  std::vector<Reference> found;
  CollectReferences(found);
  return !found.empty();
}

bool Value::ContainsUnknown() const {
  switch (kind()) {
    case Kind::kUnknown: return true;
    case Kind::kList:
      return std::any_of(as_list().begin(), as_list().end(), [](const Value& v) { return v.ContainsUnknown(); });
    case Kind::kMap:
      return std::any_of(as_map().begin(), as_map().end(),
                         [](const auto& kv) { return kv.second.ContainsUnknown(); });
    default: return false;
  }
}

bool Value::ContainsSensitive() const {
  if (sensitive_) return true;
  if (is_list())
    return std::any_of(as_list().begin(), as_list().end(), [](const Value& v) { return v.ContainsSensitive(); });
  if (is_map())
    return std::any_of(as_map().begin(), as_map().end(),
                       [](const auto& kv) { return kv.second.ContainsSensitive(); });
  return false;
}

double Value::as_number() const {
  return is_int() ? static_cast<double>(as_int()) : std::get<double>(data_);
}

std::vector<std::string> Value::StringItems() const {
  std::vector<std::string> out;
  if (!is_list()) return out;
  for (const auto& item : as_list())
    if (item.is_string()) out.push_back(item.as_string());
  return out;
}

bool Value::SetEqual(const Value& a, const Value& b) {
  if (!a.is_list() || !b.is_list()) return a == b;
  auto as_set = [](const Value& v) {
    std::set<std::string> items;
    for (const auto& item : v.as_list()) items.insert(item.RenderRevealed());
    return items;
  };
  return as_set(a) == as_set(b);
}

std::string Value::Render() const { return RenderImpl(false); }
std::string Value::RenderRevealed() const { return RenderImpl(true); }

static std::string Quote(const std::string& s) { return json::serialize(json::value(s)); }

std::string Value::RenderImpl(bool reveal) const {
  if (sensitive_ && !reveal) return "(sensitive)";
  switch (kind()) {
    case Kind::kNull: return "null";
    case Kind::kBool: return as_bool() ? "true" : "false";
    case Kind::kInt: return std::to_string(as_int());
    case Kind::kNumber: return json::serialize(json::value(as_number()));
    case Kind::kString: return Quote(as_string());
    case Kind::kUnknown: return "(known after apply)";
    case Kind::kReference: return as_reference().address + "." + as_reference().attribute;
    case Kind::kConcat: {
      std::string out;
      for (size_t i = 0; i < as_concat().parts.size(); ++i)
        out += (i ? " .. " : "") + as_concat().parts[i].RenderImpl(reveal);
      return out;
    }
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < as_list().size(); ++i)
        out += (i ? ", " : " ") + as_list()[i].RenderImpl(reveal);
      return out + (as_list().empty() ? "]" : " ]");
    }
    case Kind::kMap: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : as_map()) {
        out += (first ? " " : ", ") + k + " = " + v.RenderImpl(reveal);
        first = false;
      }
      return out + (as_map().empty() ? "}" : " }");
    }
  }
  return "";
}

json::value Value::ToJson() const {
  switch (kind()) {
    case Kind::kNull:
    case Kind::kUnknown:
    case Kind::kReference:
    case Kind::kConcat: return nullptr;
    case Kind::kBool: return as_bool();
    case Kind::kInt: return as_int();
    case Kind::kNumber: return as_number();
    case Kind::kString: return json::string(as_string());
    case Kind::kList: {
      json::array arr;
      arr.reserve(as_list().size());
      for (const auto& item : as_list()) arr.push_back(item.ToJson());
      return arr;
    }
    case Kind::kMap: {
      json::object obj;
      for (const auto& [k, v] : as_map()) obj[k] = v.ToJson();
      return obj;
    }
  }
  return nullptr;
}

Value Value::FromJson(const json::value& j) {
  switch (j.kind()) {
    case json::kind::null: return Value();
    case json::kind::bool_: return Value(j.get_bool());
    case json::kind::int64: return Value(j.get_int64());
    case json::kind::uint64: return Value(static_cast<int64_t>(j.get_uint64()));
    case json::kind::double_: return Value(j.get_double());
    case json::kind::string: return Value(std::string(j.get_string()));
    case json::kind::array: {
      List list;
      list.reserve(j.get_array().size());
      for (const auto& item : j.get_array()) list.push_back(FromJson(item));
      return Value(std::move(list));
    }
    case json::kind::object: {
      Map::sequence_type entries;
      entries.reserve(j.get_object().size());
      for (const auto& kv : j.get_object()) entries.emplace_back(std::string(kv.key()), FromJson(kv.value()));
      return Value(MapOfEntries(std::move(entries)));
    }
  }
  return Value();
}

json::value Value::SensitivityJson() const {
  if (sensitive_) return true;
  if (is_list()) {
    json::array arr;
    for (const auto& item : as_list()) arr.push_back(item.SensitivityJson());
    return arr;
  }
  if (is_map()) {
    json::object obj;
    for (const auto& [k, v] : as_map())
      if (v.ContainsSensitive()) obj[k] = v.SensitivityJson();
    return obj;
  }
  return false;
}

}  // namespace stashform
