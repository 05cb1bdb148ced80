// `stashform version [-json]` and `stashform providers [-json]`: what this build of stashform is
// and which resource and data source types its platform modules offer. Neither reads a config.

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>
#include <ostream>

#include "reconciler/cli/session.h"

namespace stashform::cli {

namespace {

namespace json = boost::json;

/// Terraform's platform word: os_arch, as in "linux_amd64".
std::string Platform() {
#if defined(__x86_64__)
  const char* arch = "amd64";
#elif defined(__aarch64__)
  const char* arch = "arm64";
#elif defined(__i386__)
  const char* arch = "386";
#else
  const char* arch = "unknown";
#endif
#if defined(__linux__)
  const char* os = "linux";
#elif defined(__APPLE__)
  const char* os = "darwin";
#else
  const char* os = "unknown";
#endif
  return std::string(os) + "_" + arch;
}

/// One platform module as `providers` lists it.
struct ProviderTypes {
  std::string server;
  std::vector<std::string> resources;
  std::vector<std::string> data_sources;
};

/// The registered providers' schemas grouped by module ("bitbucket" of "bitbucket.webhook").
std::map<std::string, ProviderTypes> TypesByProvider() {
  provider::Registry registry;
  RegisterProviders(registry, [](const http::ClientOptions&) -> std::unique_ptr<http::HttpClient> { return nullptr; });
  std::map<std::string, ProviderTypes> out;
  for (const ResourceSchema* schema : registry.AllSchemas()) {
    ProviderTypes& types = out[schema->type.substr(0, schema->type.find('.'))];
    if (schema->is_server) types.server = schema->type;
    else (schema->is_data_source ? types.data_sources : types.resources).push_back(schema->type);
  }
  return out;
}

json::array Strings(const std::vector<std::string>& items) { return json::array(items.begin(), items.end()); }

}  // namespace

int RunVersion(const Args& args, Io& io) {
  CLI::App app("Show the current stashform version", "stashform version");
  bool as_json = false;
  app.add_flag("--json", as_json, "Print as JSON");
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  if (!as_json) {
    io.out << "stashform v" << STASHFORM_VERSION << "\non " << Platform() << "\n";
    return 0;
  }
  // Terraform's keys, so that tools reading `terraform version -json` read this too; the
  // providers are built in, so there is no selection and nothing to be outdated against.
  json::object out{{"terraform_version", STASHFORM_VERSION}, {"platform", Platform()},
                   {"provider_selections", json::object{}}, {"terraform_outdated", false},
                   {"stashform_version", STASHFORM_VERSION}};
  io.out << json::serialize(out) << "\n";
  return 0;
}

int RunProviders(const Args& args, Io& io) {
  CLI::App app("List each platform module's resource and data source types", "stashform providers");
  bool as_json = false;
  app.add_flag("--json", as_json, "Print as JSON");
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  const auto providers = TypesByProvider();
  if (as_json) {
    json::object all;
    for (const auto& [name, types] : providers)
      all[name] = json::object{{"server_type", types.server}, {"resource_types", Strings(types.resources)},
                               {"data_source_types", Strings(types.data_sources)}};
    io.out << json::serialize(json::object{{"format_version", "1.0"}, {"providers", all}}) << "\n";
    return 0;
  }
  io.out << "Providers built into stashform v" << STASHFORM_VERSION << ":\n";
  for (const auto& [name, types] : providers) {
    io.out << fmt::format("\n{}\n  server block: {}\n", name, types.server.empty() ? "(none)" : types.server);
    for (const auto& type : types.resources) io.out << "  resource:     " << type << "\n";
    for (const auto& type : types.data_sources) io.out << "  data source:  " << type << "\n";
  }
  return 0;
}

}  // namespace stashform::cli
