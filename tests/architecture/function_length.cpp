#include "tests/architecture/function_length.h"

#include <regex>

namespace stashform::architecture {
namespace {

// The source with comments, string and character literals blanked out (newlines kept), so that
// braces inside them do not count.
std::string Blank(std::string_view source) {
  std::string out(source);
  size_t i = 0;
  auto blank_until = [&](size_t end) {
    for (; i < end && i < out.size(); ++i) {
      if (out[i] != '\n') out[i] = ' ';
    }
  };
  while (i < out.size()) {
    const std::string_view rest = std::string_view(out).substr(i);
    if (rest.starts_with("//")) {
      blank_until(out.find('\n', i));
    } else if (rest.starts_with("/*")) {
      const size_t end = out.find("*/", i + 2);
      blank_until(end == std::string::npos ? out.size() : end + 2);
    } else if (rest.starts_with("R\"")) {
      const size_t open = out.find('(', i);
      const std::string closing = ")" + out.substr(i + 2, open - i - 2) + "\"";
      const size_t end = out.find(closing, open);
      blank_until(end == std::string::npos ? out.size() : end + closing.size());
    } else if (out[i] == '"' || (out[i] == '\'' && !(i > 0 && std::isxdigit(static_cast<unsigned char>(out[i - 1]))))) {
      const char quote = out[i];
      size_t end = i + 1;
      while (end < out.size() && out[end] != quote) end += out[end] == '\\' ? 2 : 1;
      blank_until(end + 1);
    } else {
      ++i;
    }
  }
  return out;
}

std::string Fold(std::string text) {
  text = std::regex_replace(text, std::regex(R"(\s+)"), " ");
  text = std::regex_replace(text, std::regex(R"(^\s*((public|private|protected)\s*:\s*)?|\s+$)"), "");
  return text.size() > 100 ? text.substr(0, 100) : text;
}

// What a `{` opens, judged from the text since the previous `;`, `{` or `}`.
enum class Scope { kNamespace, kClass, kFunction, kOther };

Scope Classify(const std::string& head) {
  static const std::regex kNamespace(R"((^|\s)namespace(\s+[\w:]+)?\s*$)");
  static const std::regex kExternC(R"(extern\s+"?\s*$)");
  static const std::regex kClass(R"((^|\s)(class|struct|union)\s+\w+[^()]*$)");
  static const std::regex kFunction(R"(\)\s*(const|noexcept|override|final|mutable|->[^{]*|\s)*$)");
  if (std::regex_search(head, kNamespace) || std::regex_search(head, kExternC)) return Scope::kNamespace;
  if (std::regex_search(head, kClass)) return Scope::kClass;
  // `Type::Type(...) : member_(x), other_{y} {` also ends in `)` or `}` before the body.
  if (std::regex_search(head, kFunction) && head.find('=') == std::string::npos) return Scope::kFunction;
  if (std::regex_search(head, std::regex(R"(\)\s*:\s*[\w:]+[({])"))) return Scope::kFunction;
  return Scope::kOther;
}

}  // namespace

std::vector<FunctionSpan> FunctionSpans(std::string_view source) {
  const std::string text = Blank(source);
  std::vector<FunctionSpan> spans;
  std::vector<Scope> scopes;  // one per open brace
  std::string head;           // text since the last ; { } at this level
  int line = 1;
  int function_depth = -1;    // index in scopes of the function being measured
  FunctionSpan current;
  for (char c : text) {
    if (c == '\n') ++line;
    if (c == '{') {
      Scope scope = Scope::kOther;
      if (function_depth < 0) scope = Classify(head);
      if (scope == Scope::kFunction) {
        function_depth = static_cast<int>(scopes.size());
        current = {Fold(head), line, 0};
      }
      scopes.push_back(scope);
      head.clear();
    } else if (c == '}') {
      if (!scopes.empty()) scopes.pop_back();
      if (function_depth == static_cast<int>(scopes.size())) {
        current.lines = line - current.first_line + 1;
        spans.push_back(current);
        function_depth = -1;
      }
      head.clear();
    } else if (c == ';') {
      head.clear();
    } else {
      head.push_back(c);
    }
  }
  return spans;
}

}  // namespace stashform::architecture
