#include "modules/provider/provider.h"

namespace stashform::provider {

std::string ApplyActionName(ApplyAction action) {
  switch (action) {
    case ApplyAction::kCreate: return "create";
    case ApplyAction::kUpdate: return "update";
    case ApplyAction::kDelete: return "delete";
  }
  return "?";
}

std::vector<ReadResponse> ResourceType::ReadMany(const std::vector<ReadRequest>& requests, const ReadDone& done) {
  std::vector<ReadResponse> responses;
  responses.reserve(requests.size());
  for (const auto& request : requests) {
    responses.push_back(Read(request));
    ReportRead(done, responses.size() - 1, responses.back());
  }
  return responses;
}

std::vector<FoundObjects> ResourceType::FindMany(const std::vector<Value::Map>& natural_keys) {
  std::vector<FoundObjects> answers(natural_keys.size());
  for (size_t i = 0; i < natural_keys.size(); ++i) {
    ImportResponse found = Find(natural_keys[i]);
    answers[i].diagnostics = found.diagnostics;
    if (found.found) answers[i].objects.push_back(std::move(found));
  }
  return answers;
}

PlanResponse ResourceType::Plan(const PlanRequest& request) { return PlanBySchema(schema(), request); }

PlanResponse PlanBySchema(const ResourceSchema& schema, const PlanRequest& request) {
  PlanResponse response;
  response.planned = request.proposed;
  for (const auto& attr : schema.attributes) {
    auto proposed = request.proposed.find(attr.name);
    bool set_by_config = proposed != request.proposed.end() && !proposed->second.is_null();
    if (!attr.settable() || (attr.mode == AttrMode::kOptionalComputed && !set_by_config)) {
      auto prior = request.prior.find(attr.name);
      if (request.creating || prior == request.prior.end())
        response.planned[attr.name] = Value::UnknownValue();
      else
        response.planned[attr.name] = prior->second;
      continue;
    }
    if (request.creating || !attr.force_new) continue;
    auto prior = request.prior.find(attr.name);
    Value recorded = prior == request.prior.end() ? Value() : prior->second;
    Value desired = set_by_config ? proposed->second : Value();
    if (!AttributeValuesEqual(attr, desired, recorded)) response.requires_replace.push_back(attr.name);
  }
  return response;
}

void Registry::Add(std::unique_ptr<Provider> provider) { providers_.push_back(std::move(provider)); }

const ResourceSchema* Registry::FindSchema(const std::string& type) const {
  for (const auto& provider : providers_)
    for (const auto* schema : provider->Schemas())
      if (schema->type == type) return schema;
  return nullptr;
}

Provider* Registry::ProviderFor(const std::string& type) const {
  for (const auto& provider : providers_)
    for (const auto* schema : provider->Schemas())
      if (schema->type == type) return provider.get();
  return nullptr;
}

std::vector<const ResourceSchema*> Registry::AllSchemas() const {
  std::vector<const ResourceSchema*> all;
  for (const auto& provider : providers_)
    for (const auto* schema : provider->Schemas()) all.push_back(schema);
  return all;
}

std::vector<std::string> Registry::TypeNames() const {
  std::vector<std::string> names;
  for (const auto* schema : AllSchemas()) names.push_back(schema->type);
  return names;
}

}  // namespace stashform::provider
