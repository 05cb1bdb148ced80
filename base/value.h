#pragma once
// Value is the plain data that flows between config, state, engine and resource types.

#include <boost/container/flat_map.hpp>
#include <boost/json/fwd.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace stashform {

/// Value is null, a bool, an integer, a number, a string, a list, a map, "known after apply", or
/// (in config only, before the engine resolves it) a reference to another resource's attribute or
/// a concatenation of strings and references (`"prefix/" .. spl.webhook_url`).
/// A value also carries a sensitive mark that every renderer honours; the mark survives copies and
/// compositions but is ignored by equality, so a secret that did not change is not a change.
class Value {
 public:
  using List = std::vector<Value>;
  /// A sorted vector of entries rather than std::map: most maps hold a handful of attributes,
  /// and a node a key (about 128 bytes with its heap header) was half of a large plan's memory.
  /// Unlike std::map, an insertion or erasure moves the entries: references into a map do not
  /// survive a change of its keys.
  using Map = boost::container::flat_map<std::string, Value, std::less<>>;
  struct Unknown {
    bool operator==(const Unknown&) const = default;
  };
  /// `handle.attribute` in config: the attribute of the resource at `address` (a printed address).
  struct Reference {
    std::string address;
    std::string attribute;
    bool operator==(const Reference&) const = default;
  };
  /// Pieces joined as strings once every reference among them is known.
  struct Concat {
    std::vector<Value> parts;
    bool operator==(const Concat&) const = default;
  };
  enum class Kind { kNull, kBool, kInt, kNumber, kString, kList, kMap, kUnknown, kReference, kConcat };

  Value() = default;
  Value(bool b) : data_(b) {}                              // NOLINT
  Value(int i) : data_(static_cast<int64_t>(i)) {}         // NOLINT
  Value(int64_t i) : data_(i) {}                           // NOLINT
  Value(double d) : data_(d) {}                            // NOLINT
  Value(std::string s) : data_(std::move(s)) {}            // NOLINT
  Value(const char* s) : data_(std::string(s)) {}          // NOLINT
  Value(List l) : data_(std::move(l)) {}                   // NOLINT
  Value(Map m) : data_(std::move(m)) {}                    // NOLINT
  static Value UnknownValue() { Value v; v.data_ = Unknown{}; return v; }
  static Value Ref(std::string address, std::string attribute);
  static Value Join(std::vector<Value> parts);  // a Concat, or a plain string when all parts are
  static Value Sensitive(Value v) { v.sensitive_ = true; return v; }
  static Value StringList(const std::vector<std::string>& items);

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_int() const { return kind() == Kind::kInt; }
  bool is_number() const { return kind() == Kind::kNumber || kind() == Kind::kInt; }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_list() const { return kind() == Kind::kList; }
  bool is_map() const { return kind() == Kind::kMap; }
  bool is_unknown() const { return kind() == Kind::kUnknown; }
  bool is_reference() const { return kind() == Kind::kReference; }
  bool is_concat() const { return kind() == Kind::kConcat; }
  const Reference& as_reference() const { return *std::get<BoxedReference>(data_).reference; }
  const Concat& as_concat() const { return std::get<Concat>(data_); }
  /// Every reference inside this value, in order of appearance.
  void CollectReferences(std::vector<Reference>& out) const;
  bool ContainsReference() const;
  /// True when this value or anything inside it is "known after apply".
  bool ContainsUnknown() const;

  bool as_bool() const { return std::get<bool>(data_); }
  int64_t as_int() const { return std::get<int64_t>(data_); }
  double as_number() const;
  const std::string& as_string() const { return std::get<std::string>(data_); }
  const List& as_list() const { return std::get<List>(data_); }
  List& as_list() { return std::get<List>(data_); }
  const Map& as_map() const { return std::get<Map>(data_); }
  Map& as_map() { return std::get<Map>(data_); }
  /// The strings of a list of strings; other items are skipped.
  std::vector<std::string> StringItems() const;

  bool sensitive() const { return sensitive_; }
  /// True when this value or anything inside it is sensitive.
  bool ContainsSensitive() const;
  Value& MarkSensitive(bool on = true) { sensitive_ = on; return *this; }

  /// Equality of content; the sensitive mark is not compared.
  bool operator==(const Value& other) const { return data_ == other.data_; }
  bool operator!=(const Value& other) const { return !(*this == other); }

  /// Lists compared as sets of items (order and repeats ignored).
  static bool SetEqual(const Value& a, const Value& b);

  /// A short human rendering: `"text"`, `true`, `[ "a", "b" ]`, `(sensitive)`, `(known after apply)`.
  std::string Render() const;
  /// The same rendering but showing sensitive content; only for tests and `-show-sensitive`.
  std::string RenderRevealed() const;

  /// JSON without the sensitive mark (callers record sensitive paths apart). Unknown becomes null.
  boost::json::value ToJson() const;
  static Value FromJson(const boost::json::value& json);
  /// The mark in the shape of Terraform's `*_sensitive` fields: true, false, or a nested map/list.
  boost::json::value SensitivityJson() const;

 private:
  // References live only in config; inline, their two strings would make every value (states and
  // plans hold millions) 80 bytes instead of 56.
  struct BoxedReference {
    std::shared_ptr<const Reference> reference;
    bool operator==(const BoxedReference& other) const { return *reference == *other.reference; }
  };
  std::string RenderImpl(bool reveal) const;
  std::variant<std::monostate, bool, int64_t, double, std::string, List, Map, Unknown, BoxedReference, Concat> data_;
  bool sensitive_ = false;
};

/// A map of `entries` in any order; of a repeated key the last one counts. Sorting once keeps a
/// large object read out of key order from costing a move of the map at every key.
Value::Map MapOfEntries(Value::Map::sequence_type entries);

/// The string at `key`, or "" when it is absent or not a string.
std::string StringField(const Value::Map& map, const std::string& key);

}  // namespace stashform
