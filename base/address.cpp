#include "base/address.h"

namespace stashform {

std::string ResourceAddress::ToString() const {
  std::string out = module.empty() ? "" : "module." + module + ".";
  out += type + "[\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"]";
}

std::optional<ResourceAddress> ResourceAddress::Parse(const std::string& text) {
  ResourceAddress address;
  std::string rest = text;
  if (rest.rfind("module.", 0) == 0) {
    // The module name runs to the dot before the type, which has the form ns.type[...
    size_t bracket = rest.find("[\"");
    if (bracket == std::string::npos) return std::nullopt;
    size_t type_dot = rest.rfind('.', bracket);
    size_t ns_dot = type_dot == std::string::npos ? std::string::npos : rest.rfind('.', type_dot - 1);
    if (ns_dot == std::string::npos || ns_dot <= 7) return std::nullopt;
    address.module = rest.substr(7, ns_dot - 7);
    rest = rest.substr(ns_dot + 1);
  }
  size_t open = rest.find("[\"");
  if (open == std::string::npos || rest.size() < open + 4 || rest.substr(rest.size() - 2) != "\"]")
    return std::nullopt;
  address.type = rest.substr(0, open);
  std::string quoted = rest.substr(open + 2, rest.size() - open - 4);
  for (size_t i = 0; i < quoted.size(); ++i) {
    if (quoted[i] == '\\' && i + 1 < quoted.size()) ++i;
    address.name += quoted[i];
  }
  if (address.type.empty() || address.type.find('.') == std::string::npos) return std::nullopt;
  return address;
}

}  // namespace stashform
