#include "modules/packagist/credential.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/attribute_checks.h"
#include "base/digest.h"
#include "modules/packagist/common.h"

namespace stashform::packagist {

namespace json = boost::json;
using provider::ApplyAction;
using provider::ApplyRequest;
using provider::ApplyResponse;
using provider::ImportResponse;
using provider::ReadRequest;
using provider::ReadResponse;

namespace {

const char kCredentialsPath[] = "/credentials/";

std::string CredentialPath(const std::string& id) { return std::string(kCredentialsPath) + PathSegment(id) + "/"; }

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "packagist.credential";
  s.server_type = "packagist.account";
  s.description = "A credential Private Packagist uses to read repositories (a Bitbucket token, say).";
  s.natural_key = {"description"};
  auto description = MakeAttribute("description", AttrType::kString, AttrMode::kRequired,
                                   "What the credential is for; unique in the organization.");
  description.force_new = true;  // the edit call takes only type, username and credential
  // The description is the natural key: an empty one could never be found again. Packagist states
  // no length limit (platforms.md §3); 1000 only keeps a runaway value out of every request.
  description.check = TextOfLength(1, 1000, "Private Packagist");
  auto type = MakeAttribute("type", AttrType::kString, AttrMode::kRequired, "Credential type.");
  type.allowed = {"bitbucket-app-pw", "github-oauth", "gitlab-token", "http-basic", "magento", "http-header", "ssh-key"};
  auto domain = MakeAttribute("domain", AttrType::kString, AttrMode::kOptional,
                              "Host the credential is sent to, e.g. bitbucket.example.com.");
  domain.force_new = true;
  domain.default_value = Value("");
  auto username = MakeAttribute("username", AttrType::kString, AttrMode::kOptional, "User name, where the type has one.");
  username.default_value = Value("");
  auto secret = MakeAttribute("credential", AttrType::kString, AttrMode::kRequired,
                              "The secret (token, password, key); write-only, compared by digest.");
  secret.sensitive = true;
  secret.write_only = true;
  s.attributes = {description, type, domain, username, secret,
                  MakeAttribute("id", AttrType::kString, AttrMode::kComputed, "Packagist's id of the credential.")};
  return s;
}

/// The secret as state keeps it: the digest of what the server echoes, else what was recorded.
Value SecretForState(const json::value& answer, const Value::Map& prior) {
  const json::value* echoed = answer.as_object().if_contains("credential");
  if (echoed && echoed->is_string() && !echoed->as_string().empty())
    return ValueForState(*CredentialSchema().Find("credential"), Value(std::string(echoed->as_string())));
  auto it = prior.find("credential");
  return it != prior.end() ? it->second : Value::Sensitive(Value(""));
}

Value::Map CredentialFromJson(const json::value& answer, const Value::Map& prior) {
  return {{"id", Value(JsonId(answer))},
          {"description", Value(JsonText(answer, "description"))},
          {"type", Value(JsonText(answer, "type"))},
          {"domain", Value(JsonText(answer, "domain"))},
          {"username", Value(JsonText(answer, "username"))},
          {"credential", SecretForState(answer, prior)}};
}

/// The secret to send, or "" when the plan holds only its digest (state never keeps the value).
std::string SecretToSend(const Value::Map& planned) {
  std::string secret = StringField(planned, "credential");
  return IsSecretDigest(secret) ? "" : secret;
}

ApplyResponse Applied(const json::value& answer, const Value::Map& planned, const Value::Map& prior) {
  if (!answer.is_object() || JsonId(answer).empty()) return FailedApply("packagist: the credential answer has no id");
  ApplyResponse response;
  response.id = JsonId(answer);
  response.attributes = CredentialFromJson(answer, prior);
  // What was sent is what the object now holds, whether or not the answer echoes it.
  if (std::string sent = SecretToSend(planned); !sent.empty())
    response.attributes["credential"] = ValueForState(*CredentialSchema().Find("credential"), Value(sent));
  return response;
}

}  // namespace

const ResourceSchema& CredentialSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

ReadResponse CredentialType::Read(const ReadRequest& request) {
  auto answer = api_.Call("GET", CredentialPath(request.id));
  if (!answer.ok()) return GoneOrFailedRead(answer.status());
  if (!answer->body.is_object()) return FailedRead("packagist: GET " + CredentialPath(request.id) + ": answer is not a credential");
  ReadResponse response;
  response.attributes = CredentialFromJson(answer->body, request.prior);
  return response;
}

ApplyResponse CredentialType::Apply(const ApplyRequest& request) {
  switch (request.action) {
    case ApplyAction::kCreate: return Create(request);
    case ApplyAction::kUpdate: return Update(request);
    case ApplyAction::kDelete: return DeleteAnswer(api_.Call("DELETE", CredentialPath(request.id)).status(), request.id);
  }
  return {};
}

ApplyResponse CredentialType::Create(const ApplyRequest& request) {
  const Value::Map& planned = request.planned;
  std::string secret = SecretToSend(planned);
  if (secret.empty()) return FailedApply("packagist: POST /api/credentials/: credential is not known (state keeps only its digest)");
  json::value body = json::object{{"description", StringField(planned, "description")},
                                  {"type", StringField(planned, "type")},
                                  {"domain", StringField(planned, "domain")},
                                  {"username", StringField(planned, "username")},
                                  {"credential", secret}};
  // Never retried blindly: a lost answer may hide a credential that exists (Find adopts it).
  auto answer = api_.Call("POST", kCredentialsPath, &body, /*retry_safe=*/false);
  if (!answer.ok()) return FailedCreate(answer.status());
  return Applied(answer->body, planned, {});
}

ApplyResponse CredentialType::Update(const ApplyRequest& request) {
  const Value::Map& planned = request.planned;
  json::object body{{"type", StringField(planned, "type")}, {"username", StringField(planned, "username")}};
  if (std::string secret = SecretToSend(planned); !secret.empty()) body["credential"] = secret;
  json::value sent = body;
  auto answer = api_.Call("PUT", CredentialPath(request.id), &sent);
  if (!answer.ok()) return FailedApply(answer.message());
  return Applied(answer->body, planned, request.prior);
}

ImportResponse CredentialType::Find(const Value::Map& natural_key) {
  auto listing = api_.ListAll(kCredentialsPath);
  if (!listing.ok()) return FailedImport(listing.message());
  const std::string key = StringField(natural_key, "description");
  for (const auto& item : *listing)
    if (item.is_object() && (JsonText(item, "description") == key || JsonId(item) == key))
      return FoundResponse(JsonId(item), CredentialFromJson(item, {}));
  return {};
}

ImportResponse CredentialType::Import(const std::string& id) {
  ImportResponse found = Find({{"description", Value(id)}});
  if (!found.found && !found.diagnostics.HasErrors())
    return FailedImport(fmt::format("packagist.credential \"{}\": no credential with that id or description", id));
  // The secret is unknown until the config supplies it: an empty digest makes the first plan set it.
  if (found.found && !found.attributes.count("credential")) found.attributes["credential"] = Value::Sensitive(Value(""));
  return found;
}

}  // namespace stashform::packagist
