#include "modules/backstage/provider.h"

#include "modules/backstage/app_config.h"

namespace stashform::backstage {

namespace {

std::string CheckUrl(const Value& value) {
  if (!value.is_string()) return "";
  const std::string& url = value.as_string();
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 ? "" : "expected an http:// or https:// URL";
}

ResourceSchema MakeInstanceSchema() {
  ResourceSchema s;
  s.type = "backstage.instance";
  s.is_server = true;
  s.description = "A Backstage installation; its config fragments are files stashform writes.";
  auto backend = MakeAttribute("backend_url", AttrType::kString, AttrMode::kOptional,
                               "The backend's URL, e.g. https://backstage.example.com (webhook and sign-in URLs derive from it).");
  backend.check = CheckUrl;
  s.attributes = {backend};
  return s;
}

/// InstanceServer serves backstage.app_config over the files it was handed.
class InstanceServer : public provider::Server {
 public:
  explicit InstanceServer(std::shared_ptr<ConfigFiles> files) : files_(std::move(files)), app_configs_(*files_) {}

  provider::ResourceType* Resource(const std::string& type) override {
    return type == AppConfigSchema().type ? &app_configs_ : nullptr;
  }
  // Nothing to call: the files are checked when they are read.
  Status Verify() override { return Status::Ok(); }

 private:
  std::shared_ptr<ConfigFiles> files_;
  AppConfigType app_configs_;
};

class BackstageProvider : public provider::Provider {
 public:
  explicit BackstageProvider(std::shared_ptr<ConfigFiles> files) : files_(std::move(files)) {}

  std::string name() const override { return "backstage"; }
  std::vector<const ResourceSchema*> Schemas() const override { return {&InstanceSchema(), &AppConfigSchema()}; }

  Result<std::unique_ptr<provider::Server>> Configure(const std::string&, const Value::Map&) override {
    std::unique_ptr<provider::Server> server = std::make_unique<InstanceServer>(files_);
    return server;
  }

 private:
  std::shared_ptr<ConfigFiles> files_;
};

}  // namespace

const ResourceSchema& InstanceSchema() {
  static const ResourceSchema kSchema = MakeInstanceSchema();
  return kSchema;
}

std::unique_ptr<provider::Provider> MakeBackstageProvider(std::shared_ptr<ConfigFiles> files) {
  if (!files) files = std::make_shared<LocalConfigFiles>();
  return std::make_unique<BackstageProvider>(std::move(files));
}

}  // namespace stashform::backstage
