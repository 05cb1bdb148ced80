#include "reconciler/cli/session.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <ostream>

#include "dsl/evaluator.h"
#include "modules/bitbucket/provider.h"
#include "modules/http/curl_http_client.h"
#include "state/local_store.h"

namespace stashform::cli {

namespace {

std::string Join(const std::string& folder, const std::string& file) {
  if (file.empty() || file[0] == '/' || folder.empty() || folder == ".") return file;
  return folder + "/" + file;
}

std::string Who() {
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  const char* user = std::getenv("USER");
  return fmt::format("{}@{}", user ? user : std::to_string(getuid()), host);
}

std::string NowRfc3339() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

/// "30s", "5m", "1h" or a bare number of seconds.
std::chrono::milliseconds ParseDuration(const std::string& text) {
  if (text.empty()) return std::chrono::milliseconds(0);
  char unit = text.back();
  double number = std::atof(text.c_str());
  double seconds = unit == 'm' ? number * 60 : unit == 'h' ? number * 3600 : number;
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") seconds = number / 1000;
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

}  // namespace

std::string CommonOptions::ConfigFolder() const {
  std::string folder = chdir.empty() ? "." : chdir;
  if (!dir.empty()) folder = dir[0] == '/' ? dir : Join(folder, dir);
  return folder;
}

std::string CommonOptions::StatePath() const {
  if (!state_path.empty()) return state_path;
  return Join(ConfigFolder(), "stashform.state.json");
}

void AddCommonOptions(CLI::App& app, CommonOptions& options) {
  app.add_option("dir", options.dir, "Configuration folder (default: the current folder)");
  app.add_option("--chdir", options.chdir, "Switch to this folder first");
  app.add_option("--state", options.state_path, "State file (default: DIR/stashform.state.json)");
  app.add_option("--lock", options.lock, "Lock the state file (default true)");
  app.add_option("--lock-timeout", options.lock_timeout, "How long to wait for the state lock, e.g. 30s");
  app.add_option("--refresh", options.refresh, "Ask the servers what exists before planning (default true)");
  app.add_flag("--no-color", options.no_color, "No colours in the output");
  app.add_flag("--explain", options.explain, "Print the reason for every change");
}

bool ParseArgs(CLI::App& app, const Args& args, Io& io, int& exit_code) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    io.out << app.help();
    exit_code = 0;
    return false;
  } catch (const CLI::ParseError& e) {
    io.err << "Error: " << e.what() << "\n";
    exit_code = 1;
    return false;
  }
  return true;
}

void PrintDiagnostics(const Diagnostics& diagnostics, Io& io) { io.err << diagnostics.ToString(); }

bool UseColor(const CommonOptions& options, const Io& io) {
  const char* no_color = std::getenv("NO_COLOR");
  return io.out_is_terminal && !options.no_color && !(no_color && *no_color);
}

void RegisterProviders(provider::Registry& registry) {
  registry.Add(std::make_unique<bitbucket::BitbucketProvider>(
      [](const http::ClientOptions& options) { return std::make_unique<http::CurlHttpClient>(options); }));
}

Session::Session() { RegisterProviders(registry_); }

Session::~Session() {
  if (locked_) store_->Unlock();
}

bool Session::Open(const CommonOptions& options, const std::string& operation, Io& io) {
  // Config: evaluate the Lua files into plain data.
  auto evaluated = dsl::EvaluateFolder(options.ConfigFolder(), registry_.AllSchemas());
  if (evaluated.diagnostics.HasErrors()) {
    PrintDiagnostics(evaluated.diagnostics, io);
    return false;
  }
  PrintDiagnostics(evaluated.diagnostics, io);
  config_ = std::move(evaluated.config);
  // Servers: one configured provider instance per server block.
  servers_ = std::make_unique<engine::Servers>(registry_);
  auto configured = servers_->Configure(config_);
  if (configured.HasErrors()) {
    PrintDiagnostics(configured, io);
    return false;
  }
  // State: lock for the whole command, then load.
  store_ = std::make_unique<state::LocalFileStore>(options.StatePath());
  if (options.lock) {
    state::LockInfo info{state::NewUuid(), operation, Who(), NowRfc3339(), options.StatePath()};
    Status locked = store_->Lock(info, ParseDuration(options.lock_timeout));
    if (!locked.ok()) {
      io.err << "Error: " << locked.message() << "\n";
      return false;
    }
    locked_ = true;
  }
  auto loaded = store_->Load();
  if (!loaded.ok()) {
    io.err << "Error: " << loaded.message() << "\n";
    return false;
  }
  state_ = loaded->has_value() ? std::move(**loaded) : state::State::New(STASHFORM_VERSION);
  state_.tool_version = STASHFORM_VERSION;
  return true;
}

}  // namespace stashform::cli
