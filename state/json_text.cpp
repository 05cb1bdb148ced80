#include "state/json_text.h"

#include <boost/json.hpp>

namespace stashform::state {

namespace json = boost::json;

namespace {

void AppendIndent(std::string& out, int depth) {
  out += '\n';
  out.append(static_cast<size_t>(depth) * 2, ' ');
}

void AppendPretty(std::string& out, const json::value& value, int depth) {
  if (value.is_array() && !value.get_array().empty()) {
    out += '[';
    bool first = true;
    for (const auto& item : value.get_array()) {
      if (!first) out += ',';
      first = false;
      AppendIndent(out, depth + 1);
      AppendPretty(out, item, depth + 1);
    }
    AppendIndent(out, depth);
    out += ']';
  } else if (value.is_object() && !value.get_object().empty()) {
    out += '{';
    bool first = true;
    for (const auto& kv : value.get_object()) {
      if (!first) out += ',';
      first = false;
      AppendIndent(out, depth + 1);
      out += json::serialize(json::string_view(kv.key()));
      out += ": ";
      AppendPretty(out, kv.value(), depth + 1);
    }
    AppendIndent(out, depth);
    out += '}';
  } else {
    out += json::serialize(value);  // scalars and empty containers
  }
}

// Where byte `offset` falls, as `line:col`, both 1-based.
std::string LineColumn(std::string_view text, size_t offset) {
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

}  // namespace

std::string PrettyJson(const json::value& value) {
  std::string out;
  AppendPretty(out, value, 0);
  out += '\n';
  return out;
}

Result<json::value> ParseJson(std::string_view text, const std::string& file_name) {
  json::stream_parser parser;
  json::error_code ec;
  // write() reports how many bytes it took before an error: that is the error's position.
  size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (!ec && consumed < text.size()) ec = json::error::extra_data;
  if (!ec) parser.finish(ec);
  if (!ec && !parser.done()) ec = json::error::incomplete;
  if (ec) return Status::Error(file_name + ":" + LineColumn(text, consumed) + ": " + ec.message());
  return parser.release();
}

}  // namespace stashform::state
