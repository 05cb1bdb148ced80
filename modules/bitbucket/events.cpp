#include "modules/bitbucket/events.h"

namespace stashform::bitbucket {

const std::vector<std::string>& WebhookEventKeys() {
  // `pr:to_ref_updated` and `pr:reviewer:changes_requested` are documented but rejected by 10.2.
  static const std::vector<std::string> kKeys = {
      "repo:refs_changed",     "repo:modified",         "repo:forked",
      "repo:comment:added",    "repo:comment:edited",   "repo:comment:deleted",
      "repo:secret_detected",  "mirror:repo_synchronized", "project:modified",
      "pr:opened",             "pr:from_ref_updated",   "pr:modified",
      "pr:merged",             "pr:declined",           "pr:deleted",
      "pr:reviewer:updated",   "pr:reviewer:approved",  "pr:reviewer:unapproved",
      "pr:reviewer:needs_work", "pr:comment:added",     "pr:comment:edited",
      "pr:comment:deleted",
  };
  return kKeys;
}

}  // namespace stashform::bitbucket
