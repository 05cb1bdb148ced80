#include "state/json_text.h"

#include <array>
#include <boost/json.hpp>
#include <cstdint>
#include <cstring>

namespace stashform::state {

namespace json = boost::json;

std::string JsonErrorPlace(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

void PrettyWriter::Indent() {
  out_ += '\n';
  out_.append(has_items_.size() * 2, ' ');
}

void PrettyWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_items_.empty()) return;
  if (has_items_.back()) out_ += ',';
  has_items_.back() = true;
  Indent();
}

void PrettyWriter::Open(char bracket) {
  BeforeValue();
  out_ += bracket;
  has_items_.push_back(false);
}

void PrettyWriter::Close(char bracket) {
  bool had_items = has_items_.back();
  has_items_.pop_back();
  if (had_items) Indent();
  out_ += bracket;
}

void PrettyWriter::Key(std::string_view key) {
  String(key);
  out_ += ": ";
  after_key_ = true;
}

namespace {

// Whether any of the 8 bytes in `word` is a control character, '"' or '\\' (the bytes JSON
// escapes): each test is "some byte below n" from the Bit Twiddling Hacks, exact for n <= 128.
bool WordNeedsEscape(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  auto has_below = [&](uint64_t x, uint64_t n) { return (x - kOnes * n) & ~x & kHigh; };
  return has_below(word, 0x20) | has_below(word ^ (kOnes * '"'), 1) | has_below(word ^ (kOnes * '\\'), 1);
}

// The index of the first byte at or after `from` that JSON escapes, or text.size(). Eight bytes a
// step: this scan is most of what a large save costs, and nearly every string has no such byte.
size_t NextEscaped(std::string_view text, size_t from) {
  static constexpr auto kEscaped = [] {
    std::array<bool, 256> escaped{};
    for (int byte = 0; byte < 0x20; ++byte) escaped[byte] = true;
    escaped['"'] = escaped['\\'] = true;
    return escaped;
  }();
  size_t i = from;
  for (uint64_t word = 0; i + sizeof word <= text.size(); i += sizeof word) {
    std::memcpy(&word, text.data() + i, sizeof word);
    if (WordNeedsEscape(word)) break;
  }
  while (i < text.size() && !kEscaped[static_cast<unsigned char>(text[i])]) ++i;
  return i;
}

}  // namespace

void PrettyWriter::String(std::string_view text) {
  BeforeValue();
  static const char kHex[] = "0123456789abcdef";
  out_ += '"';
  // Runs of characters that need no escape are appended at once, not one by one.
  size_t run = 0;
  for (size_t i = NextEscaped(text, 0); i < text.size(); i = NextEscaped(text, i + 1)) {
    out_.append(text.substr(run, i - run));
    run = i + 1;
    char c = text[i];
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += c;
    } else if (c == '\n') {
      out_ += "\\n";
    } else if (c == '\t') {
      out_ += "\\t";
    } else if (c == '\r') {
      out_ += "\\r";
    } else {
      auto byte = static_cast<unsigned char>(c);
      out_ += "\\u00";
      out_ += kHex[byte >> 4];
      out_ += kHex[byte & 0xf];
    }
  }
  out_.append(text.substr(run));
  out_ += '"';
}

void PrettyWriter::Int(int64_t number) {
  BeforeValue();
  out_ += std::to_string(number);
}

void PrettyWriter::Uint(uint64_t number) {
  BeforeValue();
  out_ += std::to_string(number);
}

void PrettyWriter::Bool(bool on) {
  BeforeValue();
  out_ += on ? "true" : "false";
}

void PrettyWriter::Null() {
  BeforeValue();
  out_ += "null";
}

void PrettyWriter::Json(const json::value& value) {
  switch (value.kind()) {
    case json::kind::object:
      BeginObject();
      for (const auto& kv : value.get_object()) {
        Key(kv.key());
        Json(kv.value());
      }
      return EndObject();
    case json::kind::array:
      BeginArray();
      for (const auto& item : value.get_array()) Json(item);
      return EndArray();
    case json::kind::string: return String(value.get_string());
    default:  // numbers, booleans, null: Boost.JSON's own spelling
      BeforeValue();
      out_ += json::serialize(value);
  }
}

std::string PrettyWriter::Take() {
  out_ += '\n';
  return std::move(out_);
}

std::string PrettyJson(const json::value& value) {
  PrettyWriter writer;
  writer.Json(value);
  return writer.Take();
}

Result<json::value> ParseJson(std::string_view text, const std::string& file_name) {
  json::stream_parser parser;
  // A monotonic arena: parsing a large state is faster and its tree smaller; the tree is
  // short-lived, converted to Values and dropped.
  parser.reset(json::make_shared_resource<json::monotonic_resource>());
  json::error_code ec;
  // write() reports how many bytes it took before an error: that is the error's position.
  size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (!ec && consumed < text.size()) ec = json::error::extra_data;
  if (!ec) parser.finish(ec);
  if (!ec && !parser.done()) ec = json::error::incomplete;
  if (ec) return Status::Error(file_name + ":" + JsonErrorPlace(text, consumed) + ": " + ec.message());
  return parser.release();
}

}  // namespace stashform::state
