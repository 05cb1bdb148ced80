#pragma once
// A small, hand-written pair of schemas shaped like Bitbucket's, so that DSL tests do not depend
// on modules/.

#include <string>
#include <vector>

#include "dsl/evaluator.h"
#include "base/schema.h"

namespace stashform::dsl::testing {

const ResourceSchema& ServerSchema();   // bitbucket.server { url, token }
const ResourceSchema& WebhookSchema();  // bitbucket.webhook { project, repository, name, url, events, active, secret, id }
std::vector<const ResourceSchema*> TestSchemas();

/// Evaluates `text` as main.lua with the test schemas, an environment of `env` and low limits.
EvalResult Eval(const std::string& text, std::vector<std::pair<std::string, std::string>> env = {});

/// The options Eval uses: the given environment and low limits.
EvalOptions TestOptions(std::vector<std::pair<std::string, std::string>> env = {});

/// Every diagnostic's text, one per line, without the "Error: " prefixes.
std::string DiagnosticLines(const Diagnostics& diagnostics);

}  // namespace stashform::dsl::testing
