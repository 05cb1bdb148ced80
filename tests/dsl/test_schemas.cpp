#include "tests/dsl/test_schemas.h"

namespace stashform::dsl::testing {

namespace {

std::string CheckHttpUrl(const Value& value) {
  const std::string& url = value.as_string();
  if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) return "";
  return "expected an http(s) URL";
}

ResourceSchema MakeServer() {
  ResourceSchema schema;
  schema.type = "bitbucket.server";
  schema.is_server = true;
  schema.attributes.push_back(MakeAttribute("url", AttrType::kString, AttrMode::kRequired));
  schema.attributes.back().check = CheckHttpUrl;
  schema.attributes.push_back(MakeAttribute("token", AttrType::kString, AttrMode::kRequired));
  schema.attributes.back().sensitive = true;
  return schema;
}

ResourceSchema MakeWebhook() {
  ResourceSchema schema;
  schema.type = "bitbucket.webhook";
  schema.server_type = "bitbucket.server";
  schema.attributes.push_back(MakeAttribute("project", AttrType::kString, AttrMode::kRequired));
  schema.attributes.push_back(MakeAttribute("repository", AttrType::kString, AttrMode::kRequired));
  schema.attributes.push_back(MakeAttribute("name", AttrType::kString, AttrMode::kRequired));
  schema.attributes.push_back(MakeAttribute("url", AttrType::kString, AttrMode::kRequired));
  schema.attributes.back().check = CheckHttpUrl;
  schema.attributes.push_back(MakeAttribute("events", AttrType::kStringSet, AttrMode::kRequired));
  schema.attributes.back().allowed = {"repo:refs_changed", "repo:modified", "pr:opened", "pr:merged",
                                      "pr:declined", "pr:deleted", "pr:from_ref_updated", "pr:comment:added"};
  schema.attributes.push_back(MakeAttribute("active", AttrType::kBool, AttrMode::kOptional));
  schema.attributes.push_back(MakeAttribute("secret", AttrType::kString, AttrMode::kOptional));
  schema.attributes.back().write_only = true;
  schema.attributes.push_back(MakeAttribute("retries", AttrType::kInt, AttrMode::kOptional));
  schema.attributes.push_back(MakeAttribute("labels", AttrType::kStringMap, AttrMode::kOptional));
  schema.attributes.push_back(MakeAttribute("id", AttrType::kString, AttrMode::kComputed));
  return schema;
}

}  // namespace

const ResourceSchema& ServerSchema() {
  static const ResourceSchema schema = MakeServer();
  return schema;
}

const ResourceSchema& WebhookSchema() {
  static const ResourceSchema schema = MakeWebhook();
  return schema;
}

std::vector<const ResourceSchema*> TestSchemas() { return {&ServerSchema(), &WebhookSchema()}; }

EvalResult Eval(const std::string& text, std::vector<std::pair<std::string, std::string>> env) {
  return EvaluateChunk("main.lua", text, TestSchemas(), TestOptions(std::move(env)));
}

EvalOptions TestOptions(std::vector<std::pair<std::string, std::string>> env) {
  EvalOptions options;
  options.getenv = [env](const std::string& name) -> std::optional<std::string> {
    for (const auto& [key, value] : env)
      if (key == name) return value;
    return std::nullopt;
  };
  options.memory_limit_bytes = 16u << 20;
  options.instruction_limit = 10'000'000;
  return options;
}

std::string DiagnosticLines(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics.items()) out += d.ToString() + "\n";
  return out;
}

}  // namespace stashform::dsl::testing
