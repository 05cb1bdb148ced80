#include "modules/bitbucket/webhook.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>

#include "modules/bitbucket/resource_util.h"

namespace stashform::bitbucket {

namespace json = boost::json;
using provider::ApplyAction;
using provider::ApplyRequest;
using provider::ApplyResponse;
using provider::ImportResponse;
using provider::ReadRequest;
using provider::ReadResponse;
using provider::ReportRead;

const ResourceSchema& WebhookSchema() {
  static const ResourceSchema kSchema =
      MakeWebhookSchema(WebhookScope::kRepository, "bitbucket.webhook", "A webhook on one repository.");
  return kSchema;
}

ReadResponse WebhookType::Read(const ReadRequest& request) {
  return ReadMany({request}).front();
}

std::vector<ReadResponse> WebhookType::ReadMany(const std::vector<ReadRequest>& requests,
                                                const provider::ReadDone& done) {
  // One paged listing per repository (or project) serves every webhook recorded on it.
  std::map<std::string, std::vector<size_t>> by_container;
  for (size_t i = 0; i < requests.size(); ++i) by_container[WebhooksPath(scope_, requests[i].prior)].push_back(i);
  std::vector<std::pair<std::string, std::vector<size_t>>> groups(by_container.begin(), by_container.end());
  std::vector<ReadResponse> responses(requests.size());
  // The listings are independent, so they run side by side: refresh time is bound by latency
  // over concurrency, not by the number of repositories. Each group writes only its own slots,
  // and reports them to `done` from its worker thread as soon as its listing is in.
  ForEachConcurrently(groups.size(), api_.settings().max_concurrency, [&](size_t g) {
    const auto& [path, indexes] = groups[g];
    auto listing = api_.ListAll(path);
    if (!listing.ok()) {
      for (size_t i : indexes) {
        responses[i] = GoneOrFailedRead(listing.status());
        ReportRead(done, i, responses[i]);
      }
      return;
    }
    std::map<std::string, const json::value*> by_id;
    for (const auto& hook : *listing)
      if (hook.is_object()) by_id[JsonId(hook)] = &hook;
    for (size_t i : indexes) {
      const auto& request = requests[i];
      auto found = by_id.find(request.id);
      if (found == by_id.end()) responses[i].gone = true;
      else responses[i].attributes = WebhookFromJson(scope_, request.prior, *found->second, request.prior);
      if (found != by_id.end() && SecretHidden(*found->second)) responses[i].notes.push_back(kHiddenSecretNote);
      ReportRead(done, i, responses[i]);
    }
  });
  return responses;
}

ApplyResponse WebhookType::Apply(const ApplyRequest& request) {
  switch (request.action) {
    case ApplyAction::kCreate:
    case ApplyAction::kUpdate: return Write(request);
    case ApplyAction::kDelete: return Delete(request);
  }
  return {};
}

ApplyResponse WebhookType::Write(const ApplyRequest& request) {
  const bool creating = request.action == ApplyAction::kCreate;
  json::value body = WebhookToJson(request.planned);
  std::string path = WebhooksPath(scope_, request.planned);
  if (!creating) path += "/" + PathSegment(request.id);
  // A create is never blindly retried: a lost answer may hide a webhook that now exists.
  auto answer = api_.Call(creating ? "POST" : "PUT", path, &body, /*retry_safe=*/!creating);
  if (!answer.ok()) return creating ? FailedCreate(answer.status()) : FailedApply(answer.message());
  ApplyResponse response;
  response.id = creating ? JsonId(answer->body) : request.id;
  if (response.id.empty() || !answer->body.is_object())
    return FailedApply(fmt::format("{} {}: answer has no webhook id", creating ? "POST" : "PUT", path));
  response.attributes = WebhookFromJson(scope_, request.planned, answer->body, request.prior);
  // The answers do not reliably echo secrets, so record what was sent.
  RecordSentSecrets(schema_, request.planned, request.prior, response.attributes);
  return response;
}

ApplyResponse WebhookType::Delete(const ApplyRequest& request) {
  return DeleteObject(api_, WebhooksPath(scope_, request.prior) + "/" + PathSegment(request.id), request.id);
}

ImportResponse WebhookType::Import(const std::string& id) {
  // The scope's keys, then an id or a name (the only webhook of that name).
  const auto& keys = WebhookScopeKeys(scope_);
  Value::Map where;
  size_t from = 0;
  for (const auto& key : keys) {
    size_t slash = id.find('/', from);
    if (slash == std::string::npos) {
      std::string form = scope_ == WebhookScope::kRepository ? "PROJECT/repository" : "PROJECT";
      return FailedImport(fmt::format("{} import id \"{}\": expected {}/ID or {}/NAME", schema_.type, id, form, form));
    }
    where[key] = Value(id.substr(from, slash - from));
    from = slash + 1;
  }
  std::string key = id.substr(from);
  auto listing = api_.ListAll(WebhooksPath(scope_, where));
  if (!listing.ok()) return FailedImport(listing.message());
  ImportResponse response;
  int matches = 0;
  for (const auto& hook : *listing) {
    if (!hook.is_object()) continue;
    Value::Map attributes = WebhookFromJson(scope_, where, hook, {});
    if (JsonId(hook) != key && StringField(attributes, "name") != key) continue;
    ++matches;
    response.found = true;
    response.id = JsonId(hook);
    response.attributes = std::move(attributes);
  }
  if (matches > 1)
    return FailedImport(fmt::format("{} webhooks on {} are named \"{}\"; import one by its id", matches,
                                    id.substr(0, from - 1), key));
  return response;
}

ImportResponse WebhookType::Find(const Value::Map& natural_key) {
  ImportResponse response;
  auto listing = api_.ListAll(WebhooksPath(scope_, natural_key));
  if (!listing.ok()) {
    if (!listing.status().IsNotFound()) response.diagnostics.Error({}, "", listing.message());
    return response;
  }
  for (const auto& hook : *listing) {
    if (!hook.is_object()) continue;
    Value::Map attributes = WebhookFromJson(scope_, natural_key, hook, {});
    if (StringField(attributes, "name") == StringField(natural_key, "name") &&
        StringField(attributes, "url") == StringField(natural_key, "url")) {
      response.found = true;
      response.id = JsonId(hook);
      response.attributes = std::move(attributes);
      return response;
    }
  }
  return response;
}

}  // namespace stashform::bitbucket
