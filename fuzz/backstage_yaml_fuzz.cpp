// Fuzz target: the Backstage app-config YAML reader. The input's first byte picks one read of the
// real provider (Read, Import, Find, … of one resource type; fuzz/provider_reads.h) and the rest is
// the file text it reads; a parsed document edited and written back must parse again (what
// stashform writes, Backstage must be able to read).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "fuzz/provider_reads.h"
#include "modules/backstage/config_files.h"
#include "modules/backstage/provider.h"
#include "modules/backstage/yaml_document.h"

using namespace stashform;

namespace {

/// Every path holds the fuzz input; writes are kept in memory and dropped.
class FuzzedFiles : public backstage::ConfigFiles {
 public:
  Result<std::optional<std::string>> Read(const std::string&) override { return std::optional<std::string>(text); }
  Status Write(const std::string&, const std::string&) override { return Status::Ok(); }
  Status Remove(const std::string&) override { return Status::Ok(); }
  std::string text;
};

void CheckRoundTrip(const std::string& text) {
  auto document = backstage::YamlDocument::Parse(text, "app-config.yaml");
  if (!document.ok()) return;
  backstage::YamlDocument::Set(document->root(), {"integrations", "bitbucketServer"}, backstage::StringNode("30"));
  backstage::YamlDocument::Remove(document->root(), {"catalog", "providers"});
  std::string emitted = document->Emit();
  auto again = backstage::YamlDocument::Parse(emitted, "app-config.yaml");
  if (!again.ok()) std::abort();  // stashform wrote a file it cannot read back
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto files = std::make_shared<FuzzedFiles>();
  static auto provider = backstage::MakeBackstageProvider(files);
  if (size == 0) return 0;
  files->text.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  fuzz::MakeOneRead(*provider, {}, data[0]);
  CheckRoundTrip(files->text);
  return 0;
}
