#pragma once
// bitbucket.project_webhook: a webhook on a project, inherited by all its repositories, over
// /rest/api/1.0/projects/{key}/webhooks. Same wire model and semantics as bitbucket.webhook.

#include "modules/bitbucket/webhook.h"

namespace stashform::bitbucket {

const ResourceSchema& ProjectWebhookSchema();

/// ProjectWebhookType is WebhookType at project scope; it needs PROJECT_ADMIN on the server.
class ProjectWebhookType : public WebhookType {
 public:
  explicit ProjectWebhookType(const BitbucketApi& api)
      : WebhookType(api, WebhookScope::kProject, ProjectWebhookSchema()) {}
};

}  // namespace stashform::bitbucket
