#include "modules/bitbucket/access_token.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <set>

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

constexpr int64_t kDayMillis = 24LL * 60 * 60 * 1000;
const char kRotateNote[] = "token expires within rotate_before_days";

const std::vector<std::string>& Permissions() {
  static const std::vector<std::string> kAll = {"REPO_READ",    "REPO_WRITE",    "REPO_ADMIN",
                                                "PROJECT_READ", "PROJECT_WRITE", "PROJECT_ADMIN"};
  return kAll;
}

// Create answers 400 "A name is required for the access token." to an empty name
// (bitbucket-api.md §4: "400 cases: no name"); the 255 limit is Bitbucket's for every name field.
AttributeSchema TokenName() {
  auto name = MakeAttribute("name", AttrType::kString, AttrMode::kRequired, "Token name, 1 to 255 characters.");
  name.check = BitbucketText();
  return name;
}

ResourceSchema MakeSchema() {
  ResourceSchema s;
  s.type = "bitbucket.access_token";
  s.server_type = "bitbucket.server";
  s.description = "An HTTP access token of a user, a project or a repository.";
  s.natural_key = {"user", "project", "repository", "name"};
  s.adoptable = false;  // an adopted token is no use: its value cannot be read back
  auto owner = [](const char* name, const char* description) {
    auto attr = MakeAttribute(name, AttrType::kString, AttrMode::kOptional, description);
    attr.force_new = true;
    return attr;
  };
  auto permissions = MakeAttribute("permissions", AttrType::kStringSet, AttrMode::kRequired,
                          "REPO_READ|WRITE|ADMIN, PROJECT_READ|WRITE|ADMIN; repository tokens only REPO_*.");
  permissions.allowed = Permissions();
  auto expiry = MakeAttribute("expiry_days", AttrType::kInt, AttrMode::kOptional, "Days until the token expires.");
  expiry.force_new = true;
  auto rotate = MakeAttribute("rotate_before_days", AttrType::kInt, AttrMode::kOptional,
                     "Replace the token when it is this many days or fewer from expiring.");
  rotate.default_value = Value(0);
  auto token = MakeAttribute("token", AttrType::kString, AttrMode::kComputed,
                    "The token value; only the create answer has it, kept as private sensitive state.");
  token.sensitive = true;
  token.create_answer_only = true;
  s.attributes = {owner("user", "Owner: a user slug (a personal token)."),
                  owner("project", "Owner: a project key (a project token, or with repository a repository token)."),
                  owner("repository", "Owner: a repository slug of project."),
                  TokenName(),
                  permissions, expiry, rotate,
                  MakeAttribute("id", AttrType::kString, AttrMode::kComputed, "Bitbucket's token id."),
                  MakeAttribute("created_date", AttrType::kInt, AttrMode::kComputed, "Creation time, epoch milliseconds."),
                  MakeAttribute("expires_at", AttrType::kInt, AttrMode::kComputed,
                       "created_date + expiry_days, epoch milliseconds; null without expiry."),
                  token};
  return s;
}

/// The owner's collection: /rest/access-tokens/1.0/users/U, /projects/P or /projects/P/repos/R.
std::string TokensPath(const Value::Map& owner) {
  std::string base = "/rest/access-tokens/1.0";
  if (!StringField(owner, "user").empty()) return base + "/users/" + PathSegment(StringField(owner, "user"));
  base += "/projects/" + PathSegment(StringField(owner, "project"));
  if (!StringField(owner, "repository").empty()) base += "/repos/" + PathSegment(StringField(owner, "repository"));
  return base;
}

Value::Map TokenFromJson(const Value::Map& owner, const json::value& token, const Value::Map& prior) {
  Value::Map out;
  for (const char* key : {"user", "project", "repository"})
    out[key] = StringField(owner, key).empty() ? Value() : Value(StringField(owner, key));
  out["id"] = Value(JsonId(token));
  out["name"] = Value(JsonString(token, "name"));
  Value::List permissions;
  if (const auto* list = token.as_object().if_contains("permissions"); list && list->is_array())
    for (const auto& p : list->as_array())
      if (p.is_string()) permissions.emplace_back(std::string(p.as_string()));
  out["permissions"] = Value(std::move(permissions));
  int64_t created = JsonInt(token, "createdDate", 0);
  out["created_date"] = Value(created);
  // expiryDays is only present when set, and UNCONFIRMED on every version: absent keeps what we sent.
  int64_t expiry_days = JsonInt(token, "expiryDays", IntAttr(prior, "expiry_days", 0));
  out["expiry_days"] = expiry_days > 0 ? Value(expiry_days) : Value();
  out["expires_at"] = expiry_days > 0 && created > 0 ? Value(created + expiry_days * kDayMillis) : Value();
  out["rotate_before_days"] = Value(IntAttr(prior, "rotate_before_days", 0));
  return out;
}

json::value RequestBody(const Value::Map& planned, bool with_expiry) {
  json::array permissions;
  for (const auto& p : ListAttr(planned, "permissions")) permissions.emplace_back(p);
  json::object body{{"name", StringField(planned, "name")}, {"permissions", std::move(permissions)}};
  if (with_expiry && IntAttr(planned, "expiry_days", 0) > 0) body["expiryDays"] = IntAttr(planned, "expiry_days", 0);
  return body;
}

void CheckOwnerAndPermissions(const Value::Map& proposed, Diagnostics& diagnostics) {
  const bool user = !StringField(proposed, "user").empty(), project = !StringField(proposed, "project").empty();
  const bool repository = !StringField(proposed, "repository").empty();
  if (user == project)
    diagnostics.Error({}, "", "bitbucket.access_token: set exactly one of user or project (with repository for a repository token)");
  if (repository && !project) diagnostics.Error({}, "", "bitbucket.access_token: repository needs project");
  if (repository)
    for (const auto& p : ListAttr(proposed, "permissions"))
      if (p.rfind("REPO_", 0) != 0)
        diagnostics.Error({}, "", "bitbucket.access_token: a repository token takes only REPO_* permissions, not " + p);
  int64_t expiry = IntAttr(proposed, "expiry_days", 0), rotate = IntAttr(proposed, "rotate_before_days", 0);
  if (expiry > 0 && rotate >= expiry)
    diagnostics.Error({}, "", fmt::format("bitbucket.access_token: rotate_before_days ({}) must be below expiry_days ({}), "
                                          "or every plan would replace the token", rotate, expiry));
}

}  // namespace

int64_t SystemNowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const ResourceSchema& AccessTokenSchema() {
  static const ResourceSchema kSchema = MakeSchema();
  return kSchema;
}

bool AccessTokenType::DueForRotation(const Value::Map& attributes, int64_t rotate_before_days) const {
  auto it = attributes.find("expires_at");
  if (it == attributes.end() || !it->second.is_int()) return false;
  return it->second.as_int() - now_() <= rotate_before_days * kDayMillis;
}

ReadResponse AccessTokenType::Read(const ReadRequest& request) {
  auto answer = api_.Call("GET", TokensPath(request.prior) + "/" + PathSegment(request.id));
  if (!answer.ok()) return GoneOrFailedRead(answer.status());
  if (!answer->body.is_object()) return FailedRead("GET " + TokensPath(request.prior) + ": answer is not a token");
  ReadResponse response;
  response.attributes = TokenFromJson(request.prior, answer->body, request.prior);
  if (DueForRotation(response.attributes, IntAttr(request.prior, "rotate_before_days", 0)))
    response.notes.push_back(kRotateNote);
  return response;
}

PlanResponse AccessTokenType::Plan(const PlanRequest& request) {
  auto response = PlanWithPrivateAttributes(schema(), request, {"token"});
  CheckOwnerAndPermissions(request.proposed, response.diagnostics);
  if (!request.creating) {
    // The server does not report expiry on every version: keep what we planned at create.
    if (!request.prior.count("expires_at")) response.planned.erase("expires_at");
    if (DueForRotation(request.prior, IntAttr(request.proposed, "rotate_before_days", 0)))
      response.requires_replace.push_back("rotate");
  }
  return response;
}

ApplyResponse AccessTokenType::Apply(const ApplyRequest& request) {
  switch (request.action) {
    case ApplyAction::kCreate: return Create(request);
    case ApplyAction::kUpdate: return Update(request);
    case ApplyAction::kDelete: return Delete(request);
  }
  return {};
}

ApplyResponse AccessTokenType::Create(const ApplyRequest& request) {
  const std::string path = TokensPath(request.planned);
  json::value body = RequestBody(request.planned, /*with_expiry=*/true);
  // Never retried blindly: a lost answer may hide a token that exists (Find adopts it by name).
  auto answer = api_.Call("PUT", path, &body, /*retry_safe=*/false);
  if (!answer.ok()) return FailedCreate(answer.status());
  std::string token = JsonString(answer->body, "token");
  if (JsonId(answer->body).empty() || token.empty())
    return FailedApply("PUT " + path + ": answer has no token id or value");
  ApplyResponse response;
  response.id = JsonId(answer->body);
  response.attributes = TokenFromJson(request.planned, answer->body, request.planned);
  response.private_data["token"] = Value::Sensitive(Value(token));
  return response;
}

ApplyResponse AccessTokenType::Update(const ApplyRequest& request) {
  // POST is a partial update: only name and permissions change in place.
  const std::string path = TokensPath(request.planned) + "/" + PathSegment(request.id);
  json::value body = RequestBody(request.planned, /*with_expiry=*/false);
  auto answer = api_.Call("POST", path, &body);
  if (!answer.ok()) return FailedApply(answer.message());
  if (!answer->body.is_object()) return FailedApply("POST " + path + ": answer is not a token");
  ApplyResponse response;
  response.id = request.id;
  response.attributes = TokenFromJson(request.planned, answer->body, request.planned);
  return response;
}

ApplyResponse AccessTokenType::Delete(const ApplyRequest& request) {
  return DeleteObject(api_, TokensPath(request.prior) + "/" + PathSegment(request.id), request.id);
}

ImportResponse AccessTokenType::FindByIdOrName(const Value::Map& owner, const std::string& key) {
  auto listing = api_.ListAll(TokensPath(owner));
  if (!listing.ok()) return listing.status().IsNotFound() ? ImportResponse{} : FailedImport(listing.message());
  ImportResponse response;
  int matches = 0;
  for (const auto& token : *listing) {
    if (!token.is_object() || (JsonId(token) != key && JsonString(token, "name") != key)) continue;
    ++matches;
    response.found = true;
    response.id = JsonId(token);
    response.attributes = TokenFromJson(owner, token, {});
  }
  if (matches > 1)
    return FailedImport(fmt::format("{} access tokens of {} are named \"{}\"; import one by its id", matches,
                                    TokensPath(owner), key));
  return response;
}

ImportResponse AccessTokenType::Import(const std::string& id) {
  std::vector<std::string> parts;
  for (size_t from = 0;;) {
    size_t slash = id.find('/', from);
    parts.push_back(id.substr(from, slash - from));
    if (slash == std::string::npos) break;
    from = slash + 1;
  }
  Value::Map owner;
  if (parts.size() == 3 && parts[0] == "users") owner["user"] = Value(parts[1]);
  else if (parts.size() == 3 && parts[0] == "projects") owner["project"] = Value(parts[1]);
  else if (parts.size() == 5 && parts[0] == "projects" && parts[2] == "repos")
    owner = {{"project", Value(parts[1])}, {"repository", Value(parts[3])}};
  else
    return FailedImport("bitbucket.access_token import id \"" + id +
                        "\": expected users/USER/ID, projects/KEY/ID or projects/KEY/repos/SLUG/ID (a name in place of ID)");
  return NotFoundIsError(FindByIdOrName(owner, parts.back()), schema().type, id, "no such token");
}

ImportResponse AccessTokenType::Find(const Value::Map& natural_key) {
  return FindByIdOrName(natural_key, StringField(natural_key, "name"));
}

std::vector<provider::FoundObjects> AccessTokenType::FindMany(const std::vector<Value::Map>& natural_keys) {
  std::map<std::string, std::vector<size_t>> by_owner;
  for (size_t i = 0; i < natural_keys.size(); ++i) by_owner[TokensPath(natural_keys[i])].push_back(i);
  std::vector<provider::FoundObjects> answers(natural_keys.size());
  const std::string base = "/rest/access-tokens/1.0/";
  for (const auto& [path, indexes] : by_owner) {
    auto listing = api_.ListAll(path);
    if (!listing.ok()) {
      if (!listing.status().IsNotFound())
        for (size_t i : indexes) answers[i].diagnostics.Error({}, "", listing.message());
      continue;
    }
    for (const auto& token : *listing)
      for (size_t i : indexes) {
        if (!token.is_object() || JsonString(token, "name") != StringField(natural_keys[i], "name")) continue;
        ImportResponse found = FoundResponse(JsonId(token), TokenFromJson(natural_keys[i], token, {}));
        found.import_id = path.substr(base.size()) + "/" + found.id;
        answers[i].objects.push_back(std::move(found));
      }
    // Bitbucket numbers tokens in creation order: the lower id is the older one.
    for (size_t i : indexes)
      std::sort(answers[i].objects.begin(), answers[i].objects.end(), [](const auto& a, const auto& b) {
        return std::strtoll(a.id.c_str(), nullptr, 10) < std::strtoll(b.id.c_str(), nullptr, 10);
      });
  }
  return answers;
}

std::vector<provider::UnmanagedObject> AccessTokenType::ListUnmanaged(const std::vector<ReadRequest>& managed,
                                                                      Diagnostics& diagnostics) {
  std::map<std::string, std::set<std::string>> ids_by_owner;
  for (const auto& request : managed) ids_by_owner[TokensPath(request.prior)].insert(request.id);
  std::vector<provider::UnmanagedObject> found;
  for (const auto& [path, ids] : ids_by_owner) {
    auto listing = api_.ListAll(path);
    if (!listing.ok()) {
      diagnostics.Error({}, "", listing.message());
      continue;
    }
    const std::string owner = path.substr(std::string("/rest/access-tokens/1.0/").size());
    for (const auto& token : *listing) {
      if (!token.is_object() || ids.count(JsonId(token))) continue;
      Value::Map attributes{{"name", Value(JsonString(token, "name"))}, {"owner", Value(owner)}};
      found.push_back({JsonId(token), fmt::format("{} access token \"{}\"", owner, JsonString(token, "name")),
                       std::move(attributes)});
    }
  }
  return found;
}

}  // namespace stashform::bitbucket
