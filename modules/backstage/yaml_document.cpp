#include "modules/backstage/yaml_document.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace stashform::backstage {

std::string JoinKeyPath(const KeyPath& path) {
  std::string out;
  for (const auto& key : path) out += (out.empty() ? "" : ".") + key;
  return out;
}

YamlDocument::YamlDocument() : root_(YAML::NodeType::Map) {}

Result<YamlDocument> YamlDocument::Parse(const std::string& text, const std::string& file) {
  YamlDocument document;
  try {
    YAML::Node root = YAML::Load(text);
    if (root.IsNull()) return document;
    if (!root.IsMap()) return Status::Error(StatusCode::kInvalidArgument, file + ": the top level is not a mapping");
    document.root_ = root;
    return document;
  } catch (const YAML::Exception& error) {
    // yaml-cpp counts lines from 0.
    return Status::Error(StatusCode::kInvalidArgument, file + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg);
  }
}

std::optional<YAML::Node> YamlDocument::At(YAML::Node from, const KeyPath& path) {
  YAML::Node node = from;
  for (const auto& key : path) {
    if (!node.IsMap()) return std::nullopt;
    YAML::Node child = node[key];
    if (!child.IsDefined()) return std::nullopt;
    node.reset(child);
  }
  return node;
}

void YamlDocument::Set(YAML::Node from, const KeyPath& path, const YAML::Node& value) {
  if (path.empty()) return;
  if (path.size() == 1) {
    from[path[0]] = value;
    return;
  }
  if (!from[path[0]].IsMap()) from[path[0]] = YAML::Node(YAML::NodeType::Map);
  Set(from[path[0]], KeyPath(path.begin() + 1, path.end()), value);
}

void YamlDocument::Remove(YAML::Node from, const KeyPath& path) {
  if (path.empty() || !from.IsMap() || !from[path[0]].IsDefined()) return;
  if (path.size() > 1) {
    YAML::Node child = from[path[0]];
    Remove(child, KeyPath(path.begin() + 1, path.end()));
    if (!(child.IsMap() && child.size() == 0)) return;
  }
  from.remove(path[0]);
}

namespace {

// Tag "!" marks a scalar that was quoted in the file or made by StringNode: a string for sure.
bool IsString(const YAML::Node& node) { return node.Tag() == "!"; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsOctalDigit(char c) { return c >= '0' && c <= '7'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Whether `text` is one or more characters, each passing `is_digit`.
bool AllDigits(std::string_view text, bool (*is_digit)(char)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool IsDecimal(std::string_view text) {
  size_t at = 0;
  auto skip_sign = [&] {
    if (at < text.size() && (text[at] == '-' || text[at] == '+')) ++at;
  };
  auto skip_digits = [&] {
    const size_t start = at;
    while (at < text.size() && IsDigit(text[at])) ++at;
    return at > start;
  };
  skip_sign();
  if (at < text.size() && text[at] == '.') {
    ++at;
    if (!skip_digits()) return false;
  } else {
    if (!skip_digits()) return false;
    if (at < text.size() && text[at] == '.') {
      ++at;
      skip_digits();
    }
  }
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    skip_sign();
    if (!skip_digits()) return false;
  }
  return at == text.size();
}

// The YAML 1.2 core schema's plain scalars that are not strings, plus the 1.1 booleans that
// older readers (js-yaml in YAML 1.1 mode) still take for booleans. Written out rather than as a
// std::regex: libstdc++'s matcher recurses once per character, so a long run of digits (a value
// from the user's file or config) overflowed the stack.
bool PlainWouldChangeType(std::string_view text) {
  static constexpr std::string_view kWords[] = {
      "~",   "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES",
      "no",  "No",   "NO",   "on",   "On",   "ON",   "off",  "Off",   "OFF",   "y",     "Y",     "n",   "N"};
  static constexpr std::string_view kInfinities[] = {".inf", ".Inf", ".INF"};
  static constexpr std::string_view kNotANumber[] = {".nan", ".NaN", ".NAN"};
  auto one_of = [](std::string_view word, const auto& words) {
    return std::find(std::begin(words), std::end(words), word) != std::end(words);
  };
  if (text.empty() || one_of(text, kWords) || IsDecimal(text) || one_of(text, kNotANumber)) return true;
  if (text.substr(0, 2) == "0o") return AllDigits(text.substr(2), IsOctalDigit);
  if (text.substr(0, 2) == "0x") return AllDigits(text.substr(2), IsHexDigit);
  if (text[0] == '-' || text[0] == '+') text.remove_prefix(1);
  return one_of(text, kInfinities);
}

void EmitNode(YAML::Emitter& out, const YAML::Node& node);

// Whether `text` is UTF-8 without control characters. yaml-cpp writes other text in plain style
// byte for byte, and a file that then starts with bytes such as FE FF reads back as UTF-16
// (backstage_yaml_fuzz's regression-invalid-utf8-plain-key); double-quoted, such bytes become
// U+FFFD and control characters escapes.
bool PrintableUtf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) return false;
    size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xe ? 3 : (byte >> 3) == 0x1e ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return false;
    i += length;
  }
  return true;
}

// YAML limits a simple key (`key: value`) to 1024 characters, and yaml-cpp's reader refuses a
// longer one. Its emitter switches to the explicit form (`? key`) by the key's length in bytes,
// not by the length of what it writes: a key of 300 bytes of control characters, each written
// as `\x00`, came out as a simple key of 1,200 characters that stashform could not read back.
// Each byte is written as at most 4 characters, so only a key over 255 bytes needs measuring.
bool NeedsExplicitKey(const YAML::Node& key) {
  if (!key.IsScalar() || key.Scalar().size() <= 255) return false;
  YAML::Emitter alone;
  EmitNode(alone, key);
  return alone.size() > 1000;
}

void EmitNode(YAML::Emitter& out, const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      out << YAML::BeginMap;
      for (const auto& item : node) {
        if (NeedsExplicitKey(item.first)) out << YAML::LongKey;
        out << YAML::Key;
        EmitNode(out, item.first);
        out << YAML::Value;
        EmitNode(out, item.second);
      }
      out << YAML::EndMap;
      return;
    case YAML::NodeType::Sequence:
      out << YAML::BeginSeq;
      for (const auto& item : node) EmitNode(out, item);
      out << YAML::EndSeq;
      return;
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if ((IsString(node) && PlainWouldChangeType(text)) || !PrintableUtf8(text))
        out << YAML::DoubleQuoted << text;
      else
        out << text;
      return;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out << YAML::Null;
      return;
  }
}

}  // namespace

std::string YamlDocument::Emit() const {
  YAML::Emitter out;
  out.SetIndent(2);
  EmitNode(out, root_);
  std::string text = out.c_str();
  if (root_.size() == 0) text = "{}";
  return text + "\n";
}

YAML::Node StringNode(const std::string& text) {
  YAML::Node node(text);
  node.SetTag("!");
  return node;
}

}  // namespace stashform::backstage
