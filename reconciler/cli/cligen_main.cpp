// stashform-cligen: writes what is generated from the command table (cli_docs.h). The build runs
// it for the completions and the man page; `update-docs docs/cli.md` rewrites the reference
// section of the docs, which a test compares.

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "reconciler/cli/cli_docs.h"

namespace {

bool Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  return static_cast<bool>(out.flush());
}

int UpdateDocs(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto updated = in ? stashform::cli::WithGeneratedSection(text.str()) : std::nullopt;
  if (!updated) {
    std::cerr << "stashform-cligen: " << path << " cannot be read or has no generated section markers\n";
    return 1;
  }
  return Write(path, *updated) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string what = argc == 3 ? argv[1] : "";
  const std::string path = argc == 3 ? argv[2] : "";
  if (what == "update-docs") return UpdateDocs(path);
  std::string text;
  if (what == "bash") text = stashform::cli::BashCompletion();
  else if (what == "zsh") text = stashform::cli::ZshCompletion();
  else if (what == "man") text = stashform::cli::ManPage(STASHFORM_VERSION);
  else if (what == "docs") text = stashform::cli::GeneratedDocsSection();
  else {
    std::cerr << "usage: stashform-cligen bash|zsh|man|docs OUTPUT_FILE\n"
                 "       stashform-cligen update-docs docs/cli.md\n";
    return 2;
  }
  if (Write(path, text)) return 0;
  std::cerr << "stashform-cligen: cannot write " << path << "\n";
  return 1;
}
