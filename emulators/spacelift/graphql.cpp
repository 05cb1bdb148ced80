#include "emulators/spacelift/graphql.h"

#include <cctype>
#include <stdexcept>

namespace stashform::emulator::spacelift {

namespace json = boost::json;

namespace {

/// Reader walks a document; commas count as whitespace, as GraphQL says.
class Reader {
 public:
  Reader(const std::string& text, const json::object& variables) : text_(text), variables_(variables) {}

  Operation ReadOperation() {
    Operation operation;
    Skip();
    if (Peek() != '{') {
      operation.kind = Name();
      if (operation.kind != "query" && operation.kind != "mutation")
        Fail("unsupported operation type \"" + operation.kind + "\"");
      Skip();
      if (IsNameStart(Peek())) Name();  // an operation name: ignored
      Skip();
      if (Peek() == '(') SkipBalanced('(', ')');
    }
    operation.fields = SelectionSet();
    Skip();
    if (pos_ < text_.size()) Fail("unexpected text after the operation");
    return operation;
  }

 private:
  static bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
  static bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

  [[noreturn]] void Fail(const std::string& what) const {
    throw std::runtime_error("Syntax Error: " + what + " at offset " + std::to_string(pos_) + ".");
  }

  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void Skip() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  void Expect(char c) {
    Skip();
    if (Peek() != c) Fail(std::string("expected '") + c + "'");
    ++pos_;
  }

  std::string Name() {
    Skip();
    if (!IsNameStart(Peek())) Fail("expected a name");
    size_t start = pos_;
    while (IsNameChar(Peek())) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  void SkipBalanced(char open, char close) {
    int depth = 0;
    do {
      char c = Peek();
      if (c == '\0') Fail(std::string("unbalanced '") + open + "'");
      if (c == '"') {
        StringLiteral();
        continue;
      }
      if (c == open) ++depth;
      if (c == close) --depth;
      ++pos_;
    } while (depth > 0);
  }

  std::vector<Selection> SelectionSet() {
    Expect('{');
    std::vector<Selection> out;
    for (Skip(); Peek() != '}'; Skip()) {
      if (Peek() == '\0') Fail("unterminated selection set");
      out.push_back(Field());
    }
    ++pos_;
    return out;
  }

  Selection Field() {
    Selection selection;
    if (text_.compare(pos_, 3, "...") == 0) {
      pos_ += 3;
      if (Name() != "on") Fail("only inline fragments (... on Type) are supported");
      selection.on_type = Name();
      selection.children = SelectionSet();
      return selection;
    }
    selection.name = Name();
    selection.alias = selection.name;
    Skip();
    if (Peek() == ':') {
      ++pos_;
      selection.name = Name();
      Skip();
    }
    if (Peek() == '(') selection.arguments = Arguments();
    Skip();
    if (Peek() == '{') selection.children = SelectionSet();
    return selection;
  }

  json::object Arguments() {
    Expect('(');
    json::object out;
    for (Skip(); Peek() != ')'; Skip()) {
      std::string name = Name();
      Expect(':');
      out[name] = Literal();
    }
    ++pos_;
    return out;
  }

  json::value Literal() {
    Skip();
    char c = Peek();
    if (c == '$') {
      ++pos_;
      std::string name = Name();
      auto* value = variables_.if_contains(name);
      if (!value) return nullptr;  // an unset nullable variable
      return *value;
    }
    if (c == '"') return json::value(StringLiteral());
    if (c == '[') {
      ++pos_;
      json::array items;
      for (Skip(); Peek() != ']'; Skip()) {
        if (Peek() == '\0') Fail("unterminated list");
        items.push_back(Literal());
      }
      ++pos_;
      return items;
    }
    if (c == '{') {
      ++pos_;
      json::object fields;
      for (Skip(); Peek() != '}'; Skip()) {
        std::string name = Name();
        Expect(':');
        fields[name] = Literal();
      }
      ++pos_;
      return fields;
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      size_t start = pos_++;
      while (std::isdigit(static_cast<unsigned char>(Peek())) || Peek() == '.' || Peek() == 'e' || Peek() == 'E') ++pos_;
      return json::parse(text_.substr(start, pos_ - start));
    }
    std::string word = Name();
    if (word == "true") return true;
    if (word == "false") return false;
    if (word == "null") return nullptr;
    return json::value(word);  // an enum value
  }

  std::string StringLiteral() {
    ++pos_;
    std::string out;
    while (Peek() != '"') {
      if (Peek() == '\0') Fail("unterminated string");
      if (Peek() == '\\') {
        ++pos_;
        char e = Peek();
        out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      } else {
        out += Peek();
      }
      ++pos_;
    }
    ++pos_;
    return out;
  }

  const std::string& text_;
  const json::object& variables_;
  size_t pos_ = 0;
};

void ProjectInto(const json::object& source, const std::vector<Selection>& selection, const std::string& type_name,
                 json::object& out) {
  for (const auto& field : selection) {
    if (!field.on_type.empty()) {
      auto* actual = source.if_contains("__typename");
      if (actual && actual->is_string() && actual->as_string() == field.on_type)
        ProjectInto(source, field.children, field.on_type, out);
      continue;
    }
    if (field.name == "__typename") {
      auto* actual = source.if_contains("__typename");
      out[field.alias] = actual ? *actual : json::value(type_name);
      continue;
    }
    auto* value = source.if_contains(field.name);
    if (!value) throw std::runtime_error("Cannot query field \"" + field.name + "\" on type \"" + type_name + "\".");
    out[field.alias] = field.children.empty() ? *value : Project(*value, field.children, field.name);
  }
}

}  // namespace

Operation ParseOperation(const std::string& document, const json::object& variables) {
  return Reader(document, variables).ReadOperation();
}

json::value Project(const json::value& source, const std::vector<Selection>& selection, const std::string& type_name) {
  if (source.is_array()) {
    json::array out;
    for (const auto& item : source.as_array()) out.push_back(Project(item, selection, type_name));
    return out;
  }
  if (!source.is_object()) return source;
  json::object out;
  ProjectInto(source.as_object(), selection, type_name, out);
  return out;
}

}  // namespace stashform::emulator::spacelift
