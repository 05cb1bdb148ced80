#pragma once
// backstage.app_config: a YAML fragment of Backstage's configuration that the backend loads beside
// its own (`--config app-config.stashform.yaml`): the Bitbucket Server integration, the catalog
// entity provider, the events topic and the sign-in provider (platforms.md §4). The remote object
// is the file; its keys are owned one by one (app_config_keys.h), every other key is left alone.

#include "modules/backstage/config_files.h"
#include "modules/provider/provider.h"

namespace stashform::backstage {

const ResourceSchema& AppConfigSchema();

/// AppConfigType reads the file and reports drift key by key, writes it atomically, and removes
/// only its own keys on delete. It never runs or calls Backstage.
class AppConfigType : public provider::ResourceType {
 public:
  explicit AppConfigType(ConfigFiles& files) : files_(files) {}

  const ResourceSchema& schema() const override { return AppConfigSchema(); }
  provider::ReadResponse Read(const provider::ReadRequest& request) override;
  /// Reads and parses each file once, however many resources keep their keys in it.
  std::vector<provider::ReadResponse> ReadMany(const std::vector<provider::ReadRequest>& requests,
                                               const provider::ReadDone& done = {}) override;
  provider::PlanResponse Plan(const provider::PlanRequest& request) override;
  provider::ApplyResponse Apply(const provider::ApplyRequest& request) override;
  provider::ImportResponse Import(const std::string& id) override;
  provider::ImportResponse Find(const Value::Map& natural_key) override;

 private:
  provider::ApplyResponse Write(const provider::ApplyRequest& request);
  provider::ApplyResponse Delete(const provider::ApplyRequest& request);
  ConfigFiles& files_;
};

}  // namespace stashform::backstage
