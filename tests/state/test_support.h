#pragma once
// Helpers for state tests: a temp folder removed afterwards and a sample state with secrets.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "state/state.h"

namespace stashform::state::testing {

/// A fresh folder under TMPDIR, removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "stashform-state-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) ? pattern : "";
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// The bytes of a file, and a file written with exactly these bytes.
inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}
inline void WriteRaw(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

inline ResourceAddress Webhook(const std::string& name) { return {"", "bitbucket.webhook", name}; }

/// A webhook as the Bitbucket module records it: a secret, nested credentials, a private token.
inline ResourceState SampleWebhook(const std::string& name, const std::string& url = "https://ci/hook") {
  ResourceState r;
  r.address = Webhook(name);
  r.server = "corp";
  r.id = "7";
  r.attributes = Value::Map{
      {"url", url},
      {"events", Value::StringList({"repo:refs_changed", "pr:merged"})},
      {"secret", Value::Sensitive("hunter2-webhook-secret")},
      {"credentials", Value::Map{{"user", "ci"}, {"password", Value::Sensitive("pa55-credential")}}},
  };
  r.private_data = Value::Map{{"token", Value::Sensitive("private-token-value")}};
  r.dependencies = {"bitbucket.server[\"corp\"]"};
  return r;
}

inline State SampleState() {
  State state = State::New("0.1.0");
  state.Upsert(SampleWebhook("INFRA/api"));
  state.outputs = Value::Map{{"hook_url", "https://ci/hook"}, {"hook_secret", Value::Sensitive("out-secret")}};
  state.AddIntent(Intent{Webhook("INFRA/web"), "corp", Value::Map{{"name", "web"}}, 1700000000000});
  return state;
}

}  // namespace stashform::state::testing
