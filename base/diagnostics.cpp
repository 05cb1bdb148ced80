#include "base/diagnostics.h"

namespace stashform {

std::string SourcePos::ToString() const {
  if (file.empty()) return "";
  return line > 0 ? file + ":" + std::to_string(line) : file;
}

std::string Diagnostic::ToString() const {
  std::string out;
  if (pos.known()) out += pos.ToString() + ": ";
  if (!subject.empty()) out += subject + ": ";
  out += message;
  if (!hint.empty()) out += " (" + hint + ")";
  return out;
}

void Diagnostics::Error(SourcePos pos, std::string subject, std::string message, std::string hint) {
  items_.push_back({Severity::kError, std::move(pos), std::move(subject), std::move(message),
                    std::move(hint)});
}

void Diagnostics::Warning(SourcePos pos, std::string subject, std::string message, std::string hint) {
  items_.push_back({Severity::kWarning, std::move(pos), std::move(subject), std::move(message),
                    std::move(hint)});
}

void Diagnostics::Append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::HasErrors() const {
  for (const auto& d : items_)
    if (d.severity == Severity::kError) return true;
  return false;
}

std::string Diagnostics::ToString() const {
  std::string out;
  for (const auto& d : items_) {
    out += d.severity == Severity::kError ? "Error: " : "Warning: ";
    out += d.ToString();
    out += "\n";
  }
  return out;
}

}  // namespace stashform
