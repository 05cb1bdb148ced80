#pragma once
// What is generated from the command table (command_table.h): docs/cli.md's command reference,
// the bash and zsh completion scripts and the man page stashform.1. The build runs
// stashform-cligen (cligen_main.cpp) to write them; tests compare and run them.

#include <optional>
#include <string>

namespace stashform::cli {

/// The Markdown of every command with its usage line and a table of its flags.
std::string CommandReferenceMarkdown();

/// The lines docs/cli.md holds between the markers, markers included.
std::string GeneratedDocsSection();

/// `document` with its generated section replaced by GeneratedDocsSection(); nullopt when it has
/// no markers.
std::optional<std::string> WithGeneratedSection(const std::string& document);

/// A bash completion script defining `_stashform` and registering it for `stashform`.
std::string BashCompletion();

/// A zsh completion script (`#compdef stashform`), for a folder on $fpath as `_stashform`.
std::string ZshCompletion();

/// The man page, in roff (man(7)).
std::string ManPage(const std::string& version);

/// The command that rewrites docs/cli.md's section, for error messages.
inline constexpr const char* kRegenerateDocs = "./build/stashform-cligen update-docs docs/cli.md";

}  // namespace stashform::cli
