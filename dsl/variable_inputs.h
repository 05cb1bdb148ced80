#pragma once
// Values given to variables from outside the config: -var, -var-file and STASHFORM_VAR_name.

#include <map>
#include <optional>
#include <string>

#include "dsl/evaluator.h"

namespace stashform::dsl {

/// VariableInput is one value for a variable, as text (-var, environment) or as data (a file).
struct VariableInput {
  std::optional<Value> data;  // from a -var-file
  std::string text;           // from -var or STASHFORM_VAR_name, parsed by the declared type
  std::string source;         // "-var", "-var-file vars.json", "STASHFORM_VAR_region"
};

/// Reads every -var-file and -var, later ones winning; problems become diagnostics.
std::map<std::string, VariableInput> CollectVariableInputs(const EvalOptions& options, Diagnostics& diagnostics);

/// The variable types a config may declare.
bool IsVariableType(const std::string& type);

/// Gives `input` the declared type: parses text, or checks data. False with `error` set.
bool ConvertVariableInput(const std::string& type, const VariableInput& input, Value* out, std::string* error);

/// Checks that a value (a default) has the declared type.
bool VariableValueHasType(const std::string& type, const Value& value, std::string* error);

}  // namespace stashform::dsl
