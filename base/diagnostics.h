#pragma once
// Diagnostics are collected through validate, plan and apply and reported all at once.

#include <string>
#include <vector>

namespace stashform {

/// SourcePos is where a declaration or value came from: a config file and a 1-based line.
struct SourcePos {
  std::string file;
  int line = 0;

  bool known() const { return !file.empty(); }
  std::string ToString() const;  // "main.lua:7", or "" when unknown
};

enum class Severity { kError, kWarning };

/// Diagnostic is one user-facing problem with a place, a subject and, where one exists, a way out.
struct Diagnostic {
  Severity severity = Severity::kError;
  SourcePos pos;
  std::string subject;  // e.g. `bitbucket.webhook "api"`, or an HTTP call
  std::string message;
  std::string hint;  // e.g. `did you mean "url"?`

  /// `main.lua:7: bitbucket.webhook "api": unknown attribute "urll" (did you mean "url"?)`
  std::string ToString() const;
};

/// Diagnostics is an ordered list of problems; it never throws and never stops at the first one.
class Diagnostics {
 public:
  void Add(Diagnostic d) { items_.push_back(std::move(d)); }
  void Error(SourcePos pos, std::string subject, std::string message, std::string hint = "");
  void Warning(SourcePos pos, std::string subject, std::string message, std::string hint = "");
  void Append(const Diagnostics& other);

  bool HasErrors() const;
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }

  /// Every diagnostic on its own line, errors prefixed "Error: " and warnings "Warning: ".
  std::string ToString() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace stashform
