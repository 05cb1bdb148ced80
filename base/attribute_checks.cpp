#include "base/attribute_checks.h"

#include <utility>

namespace stashform {

namespace {

size_t CodePoints(const std::string& text) {
  size_t count = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

// Control characters (tab, newline, DEL, …) end up in headers, logs and UIs; no server we talk to
// wants them in a name.
size_t FirstControlCharacter(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) return i;
  }
  return std::string::npos;
}

}  // namespace

AttributeCheck TextOfLength(size_t min, size_t max, std::string server) {
  return [min, max, server = std::move(server)](const Value& value) -> std::string {
    if (!value.is_string()) return "";
    const std::string& text = value.as_string();
    const size_t length = CodePoints(text);
    if (length == 0 && min > 0) return "must not be empty: " + server + " refuses an empty value (give it one)";
    if (length < min)
      return "is " + std::to_string(length) + " characters; " + server + " takes at least " + std::to_string(min);
    if (length > max)
      return "is " + std::to_string(length) + " characters; " + server + " takes at most " + std::to_string(max) +
             " (shorten it)";
    if (size_t at = FirstControlCharacter(text); at != std::string::npos)
      return "has a control character at byte " + std::to_string(at + 1) + "; " + server +
             " refuses them (remove it)";
    return "";
  };
}

std::string HttpUrlProblem(const std::string& url) {
  const bool http = url.rfind("http://", 0) == 0, https = url.rfind("https://", 0) == 0;
  if (!http && !https) {
    if (url.find("://") == std::string::npos && !url.empty())
      return "expected an http:// or https:// URL, got \"" + url + "\" (add the scheme: \"https://" + url + "\")";
    return "expected an http:// or https:// URL, got \"" + url + "\"";
  }
  const std::string rest = url.substr(http ? 7 : 8);
  if (rest.empty() || rest[0] == '/' || rest[0] == ':' || rest[0] == '?' || rest[0] == '#')
    return "the URL \"" + url + "\" has no host (write it as \"https://host/path\")";
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7F) return "the URL \"" + url + "\" contains a space or control character (encode it as %20)";
  return "";
}

std::string CheckAbsoluteHttpUrl(const Value& value) {
  return value.is_string() ? HttpUrlProblem(value.as_string()) : "";
}

AttributeCheck AllOf(std::vector<AttributeCheck> checks) {
  return [checks = std::move(checks)](const Value& value) -> std::string {
    for (const auto& check : checks)
      if (std::string message = check(value); !message.empty()) return message;
    return "";
  };
}

AttributeCheck EachItem(AttributeCheck check) {
  return [check = std::move(check)](const Value& value) -> std::string {
    if (!value.is_list()) return "";
    const auto& items = value.as_list();
    for (size_t i = 0; i < items.size(); ++i)
      if (std::string message = check(items[i]); !message.empty()) return "item " + std::to_string(i + 1) + " " + message;
    return "";
  };
}

}  // namespace stashform
