#include "state/json_text.h"

#include <array>
#include <boost/json.hpp>

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

void PrettyWriter::String(std::string_view text) {
  BeforeValue();
  static const char kHex[] = "0123456789abcdef";
  // One look-up a byte instead of three comparisons: this loop is most of what a large save costs.
  static constexpr auto kEscaped = [] {
    std::array<bool, 256> escaped{};
    for (int byte = 0; byte < 0x20; ++byte) escaped[byte] = true;
    escaped['"'] = escaped['\\'] = true;
    return escaped;
  }();
  out_ += '"';
  // Runs of characters that need no escape are appended at once, not one by one.
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    auto byte = static_cast<unsigned char>(c);
    if (!kEscaped[byte]) continue;
    out_.append(text.substr(run, i - run));
    run = i + 1;
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
