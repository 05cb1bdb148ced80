#include "modules/bitbucket/application_link.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "modules/bitbucket/key_pair.h"
#include "modules/bitbucket/resource_util.h"

namespace stashform::bitbucket {

namespace json = boost::json;
using provider::ApplyAction;
using provider::ApplyRequest;
using provider::ApplyResponse;
using provider::ImportResponse;
using provider::PlanRequest;
using provider::PlanResponse;
using provider::ReadRequest;
using provider::ReadResponse;

namespace {

const char kLinkPath[] = "/rest/applinks/3.0/applicationlink";
const char kLinksPath[] = "/rest/applinks/3.0/applinks";

std::string ConsumerPath(const std::string& id) {
  return "/rest/applinks-oauth/1.0/applicationlink/" + PathSegment(id) + "/authentication/consumer";
}

/// The consumer's key as given: a PEM key, bare base64, or a PEM X.509 certificate (as Private
/// Packagist shows it), whose key is what Bitbucket gets; a malformed certificate fails validate.
AttributeSchema PublicKeyAttribute() {
  auto attr = MakeAttribute("public_key", AttrType::kString, AttrMode::kOptional,
                            "The consumer's RSA public key: PEM, bare base64, or a PEM X.509 certificate.");
  attr.check = [](const Value& value) -> std::string {
    if (!value.is_string() || !IsCertificatePem(value.as_string())) return "";
    auto key = PublicKeyOfCertificate(value.as_string());
    return key.ok() ? "" : key.message();
  };
  return attr;
}

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "bitbucket.application_link";
  s.server_type = "bitbucket.server";
  s.description = "A generic application link with an incoming OAuth 1.0a consumer (consumer key + RSA public key).";
  s.natural_key = {"name"};
  auto link_attr = [](const char* name, AttrMode mode, const char* description) {
    auto attr = MakeAttribute(name, AttrType::kString, mode, description);
    attr.force_new = true;  // the link itself has no update call: a change makes a new link
    return attr;
  };
  auto rpc_url = link_attr("rpc_url", AttrMode::kRequired, "URL Bitbucket uses to reach the application.");
  rpc_url.check = CheckHttpUrl;
  auto display_url = link_attr("display_url", AttrMode::kOptionalComputed, "URL shown to users; default rpc_url.");
  display_url.check = CheckHttpUrl;
  auto generate = MakeAttribute("generate_key_pair", AttrType::kBool, AttrMode::kOptional,
                       "Generate an RSA 2048 key pair at create instead of giving public_key.");
  generate.force_new = true;
  generate.default_value = Value(false);
  auto private_key = MakeAttribute("private_key_pem", AttrType::kString, AttrMode::kComputed,
                          "The generated private key (PKCS#8 PEM); private sensitive state only.");
  private_key.sensitive = true;
  private_key.create_answer_only = true;
  private_key.held_by = "the link: the application that signs its requests with this private key is refused";
  // Names and consumer keys are Bitbucket fields of at most 255 characters (bitbucket-api.md §1.4);
  // an empty consumer key is answered 400 "A consumer key is required."
  auto name = link_attr("name", AttrMode::kRequired, "Link name, unique on the server.");
  name.check = BitbucketText();
  auto consumer_key = MakeAttribute("consumer_key", AttrType::kString, AttrMode::kRequired, "OAuth 1.0a consumer key.");
  consumer_key.check = BitbucketText();
  s.attributes = {name, rpc_url, display_url, consumer_key,
                  MakeAttribute("consumer_name", AttrType::kString, AttrMode::kOptionalComputed, "Consumer name; default the link name."),
                  PublicKeyAttribute(),
                  generate,
                  MakeAttribute("public_key_pem", AttrType::kString, AttrMode::kComputed, "The consumer's public key as PEM."),
                  private_key,
                  MakeAttribute("id", AttrType::kString, AttrMode::kComputed, "The link's id (a UUID).")};
  return s;
}

Value::Map LinkFromJson(const json::value& link) {
  Value::Map out{{"id", Value(JsonId(link))}, {"name", Value(JsonString(link, "name"))},
                 {"rpc_url", Value(JsonString(link, "rpcUrl"))}};
  std::string display = JsonString(link, "displayUrl");
  out["display_url"] = Value(display.empty() ? JsonString(link, "rpcUrl") : display);
  return out;
}

/// The link id from the 201 answer: the last path segment of resources-created[0].href, or "id".
std::string CreatedLinkId(const json::value& answer) {
  const json::value* created = answer.is_object() ? answer.as_object().if_contains("resources-created") : nullptr;
  if (created && created->is_array() && !created->as_array().empty()) {
    std::string href = JsonString(created->as_array().front(), "href");
    while (!href.empty() && href.back() == '/') href.pop_back();
    if (auto slash = href.rfind('/'); slash != std::string::npos && slash + 1 < href.size()) return href.substr(slash + 1);
  }
  return JsonId(answer);
}

}  // namespace

const ResourceSchema& ApplicationLinkSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

void ApplicationLinkType::ReadConsumer(const std::string& id, Value::Map& attributes, const Value::Map& prior) {
  const bool generated = BoolAttr(prior, "generate_key_pair", false);
  attributes["generate_key_pair"] = Value(generated);
  auto answer = api_.Call("GET", ConsumerPath(id));
  if (!answer.ok() || !answer->body.is_object()) {
    // No consumer any more: an empty key makes the plan put it back. Reading a consumer is
    // UNCONFIRMED on real servers, so any other failure keeps what we recorded.
    const bool missing = !answer.ok() && answer.status().IsNotFound();
    for (const char* key : {"consumer_key", "consumer_name", "public_key", "public_key_pem"})
      if (auto it = prior.find(key); it != prior.end()) attributes[key] = missing ? Value("") : it->second;
    return;
  }
  attributes["consumer_key"] = Value(JsonString(answer->body, "key"));
  attributes["consumer_name"] = Value(JsonString(answer->body, "name"));
  std::string remote = JsonString(answer->body, "publicKey");
  // Bitbucket may echo PEM or bare base64: the same key keeps the text recorded before.
  std::string recorded = StringField(prior, generated ? "public_key_pem" : "public_key");
  std::string key_text = PublicKeyBody(remote) == PublicKeyBody(recorded) ? recorded : remote;
  attributes["public_key"] = generated ? Value() : Value(key_text);
  attributes["public_key_pem"] = Value(key_text.empty() ? "" : PublicKeyPem(key_text));
}

ReadResponse ApplicationLinkType::Read(const ReadRequest& request) {
  auto answer = api_.Call("GET", std::string(kLinkPath) + "/" + PathSegment(request.id));
  if (!answer.ok()) return GoneOrFailedRead(answer.status());
  if (!answer->body.is_object()) return FailedRead(fmt::format("GET {}/{}: answer is not a link", kLinkPath, request.id));
  ReadResponse response;
  response.attributes = LinkFromJson(answer->body);
  response.attributes["id"] = Value(request.id);
  ReadConsumer(request.id, response.attributes, request.prior);
  return response;
}

PlanResponse ApplicationLinkType::Plan(const PlanRequest& request) {
  auto response = PlanWithPrivateAttributes(schema(), request, {"private_key_pem"});
  const bool generate = BoolAttr(request.proposed, "generate_key_pair", false);
  const std::string public_key = StringField(request.proposed, "public_key");
  if (generate == !public_key.empty())
    response.diagnostics.Error({}, "", "bitbucket.application_link: set public_key, or generate_key_pair = true (not both)");
  if (!public_key.empty()) response.planned["public_key_pem"] = Value(PublicKeyPem(public_key));
  // Only a generated pair has a private key: a link made from a given public key never lacks one.
  if (request.creating && !generate) response.planned["private_key_pem"] = Value();
  if (StringField(request.proposed, "consumer_name").empty() && request.creating)
    response.planned["consumer_name"] = Value(StringField(request.proposed, "name"));
  return response;
}

ApplyResponse ApplicationLinkType::Apply(const ApplyRequest& request) {
  switch (request.action) {
    case ApplyAction::kCreate: return Create(request);
    case ApplyAction::kUpdate: return PutConsumer(request.id, request.planned, request.prior);
    case ApplyAction::kDelete: return Delete(request);
  }
  return {};
}

ApplyResponse ApplicationLinkType::Create(const ApplyRequest& request) {
  Value::Map planned = request.planned;
  Value::Map private_data;
  if (BoolAttr(planned, "generate_key_pair", false)) {
    auto pair = GenerateRsaKeyPair(2048);
    if (!pair.ok()) return FailedApply(pair.message());
    planned["public_key_pem"] = Value(pair->public_key);
    private_data["private_key_pem"] = Value::Sensitive(Value(pair->private_key));
  }
  std::string display = StringField(planned, "display_url");
  json::value body = json::object{{"id", nullptr}, {"name", StringField(planned, "name")},
                                  {"rpcUrl", StringField(planned, "rpc_url")},
                                  {"displayUrl", display.empty() ? StringField(planned, "rpc_url") : display},
                                  {"typeId", "generic"}};
  // Never retried blindly: a lost answer may hide a link that exists (Find adopts it by name).
  auto answer = api_.Call("PUT", kLinkPath, &body, /*retry_safe=*/false);
  if (!answer.ok()) return FailedCreate(answer.status());
  std::string id = CreatedLinkId(answer->body);
  if (id.empty()) return FailedApply(std::string("PUT ") + kLinkPath + ": answer names no created link");
  auto response = PutConsumer(id, planned, {});
  response.private_data = std::move(private_data);
  return response;
}

ApplyResponse ApplicationLinkType::PutConsumer(const std::string& id, const Value::Map& planned, const Value::Map& prior) {
  std::string public_key = StringField(planned, "public_key");
  if (public_key.empty()) public_key = StringField(planned, "public_key_pem");
  if (public_key.empty()) public_key = StringField(prior, "public_key_pem");
  std::string name = StringField(planned, "consumer_name");
  json::value body = json::object{{"key", StringField(planned, "consumer_key")},
                                  {"name", name.empty() ? StringField(planned, "name") : name},
                                  {"description", nullptr}, {"sharedSecret", nullptr},
                                  {"publicKey", PublicKeyPem(public_key)}, {"outgoing", false},
                                  {"twoLOAllowed", false}, {"executingTwoLOUser", nullptr},
                                  {"twoLOImpersonationAllowed", nullptr}};
  ApplyResponse response;
  response.id = id;
  for (const char* key : {"name", "rpc_url", "display_url", "consumer_key", "public_key", "generate_key_pair"})
    if (auto it = planned.find(key); it != planned.end()) response.attributes[key] = it->second;
  response.attributes["id"] = Value(id);
  response.attributes["consumer_name"] = Value(name.empty() ? StringField(planned, "name") : name);
  response.attributes["public_key_pem"] = Value(PublicKeyPem(public_key));
  if (StringField(response.attributes, "display_url").empty()) response.attributes["display_url"] = Value(StringField(planned, "rpc_url"));
  auto answer = api_.Call("PUT", ConsumerPath(id), &body);
  // The link exists even when its consumer failed: the id is returned so that it is recorded.
  if (!answer.ok()) response.diagnostics.Error({}, "", answer.message());
  return response;
}

ApplyResponse ApplicationLinkType::Delete(const ApplyRequest& request) {
  return DeleteObject(api_, std::string(kLinkPath) + "/" + PathSegment(request.id), request.id);
}

ImportResponse ApplicationLinkType::Find(const Value::Map& natural_key) {
  auto answer = api_.Call("GET", kLinksPath);
  if (!answer.ok()) return FailedImport(answer.message());
  if (!answer->body.is_array()) return FailedImport(std::string("GET ") + kLinksPath + ": answer is not a list of links");
  const std::string key = StringField(natural_key, "name");
  for (const auto& link : answer->body.as_array()) {
    if (!link.is_object() || (JsonId(link) != key && JsonString(link, "name") != key)) continue;
    ImportResponse response;
    response.found = true;
    response.id = JsonId(link);
    response.attributes = LinkFromJson(link);
    ReadConsumer(response.id, response.attributes, {});
    // Whether the key was given or generated, the server cannot tell: absent, the config's
    // choice stands for an adopted link (the next refresh compares the key itself).
    response.attributes.erase("generate_key_pair");
    response.attributes.erase("public_key");
    return response;
  }
  return {};
}

ImportResponse ApplicationLinkType::Import(const std::string& id) {
  return NotFoundIsError(Find({{"name", Value(id)}}), schema().type, id, "no link with that id or name");
}

}  // namespace stashform::bitbucket
