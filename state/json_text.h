#pragma once
// JSON text helpers for state files: a stable pretty printer and a parser whose errors carry
// `file:line:col`. Boost.JSON exceptions never leave this adapter.

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace stashform::state {

/// PrettyWriter appends two-space indented JSON straight to a string, keys in the order written.
/// The codec writes through it so that a large state is never also held as a JSON tree.
class PrettyWriter {
 public:
  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key);
  void String(std::string_view text);
  void Int(int64_t number);
  void Uint(uint64_t number);
  void Bool(bool on);
  void Null();
  void Json(const boost::json::value& value);  // any Boost.JSON value, pretty too
  std::string Take();
  /// Room for `bytes` of text up front: a large state then never copies itself as it grows.
  void Reserve(size_t bytes) { out_.reserve(bytes); }

 private:
  void BeforeValue();
  void Open(char bracket);
  void Close(char bracket);
  void Indent();

  std::string out_;
  std::vector<bool> has_items_;  // one per open container
  bool after_key_ = false;
};

/// Two-space indented JSON; object keys keep their insertion order so output is stable.
std::string PrettyJson(const boost::json::value& value);

/// Where byte `offset` of `text` falls, as `line:col` (both 1-based, columns in bytes).
std::string JsonErrorPlace(std::string_view text, size_t offset);

/// Parses `text`; a syntax error reads `file:line:col: <what>` (1-based, columns in bytes).
Result<boost::json::value> ParseJson(std::string_view text, const std::string& file_name);

}  // namespace stashform::state
