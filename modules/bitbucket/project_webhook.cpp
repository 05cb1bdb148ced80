#include "modules/bitbucket/project_webhook.h"

namespace stashform::bitbucket {

const ResourceSchema& ProjectWebhookSchema() {
  static const ResourceSchema kSchema = MakeWebhookSchema(
      WebhookScope::kProject, "bitbucket.project_webhook",
      "A webhook on one project; every repository of the project inherits it.");
  return kSchema;
}

}  // namespace stashform::bitbucket
