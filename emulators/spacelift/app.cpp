#include "emulators/spacelift/app.h"

#include "emulators/spacelift/graphql.h"
#include "emulators/spacelift/jwt.h"
#include "emulators/spacelift/resolvers.h"

namespace stashform::emulator::spacelift {

namespace json = boost::json;

namespace {

constexpr const char* kWebhookPrefix = "/webhooks/bitbucket_datacenter/";

struct Envelope {
  std::string query;
  json::object variables;
};

Envelope ReadEnvelope(const std::string& body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) throw GraphQLError("POST body must be a JSON object {query, variables}");
  const auto& object = parsed.as_object();
  auto* query = object.if_contains("query");
  if (!query || !query->is_string()) throw GraphQLError("POST body has no \"query\" string");
  Envelope envelope{std::string(query->as_string()), {}};
  if (auto* variables = object.if_contains("variables"); variables && variables->is_object())
    envelope.variables = variables->as_object();
  return envelope;
}

std::string Bearer(const Request& request) {
  auto header = request.Header("authorization");
  if (!header || header->rfind("Bearer ", 0) != 0) return "";
  return header->substr(7);
}

bool OnlyLogin(const Operation& operation) {
  return operation.kind == "mutation" && operation.fields.size() == 1 && operation.fields[0].name == "apiKeyUser";
}

/// Fills the log entry's target ids from the variables, for ordering checks in tests.
void NoteIds(LoggedRequest& entry, const json::object& variables) {
  if (auto* id = variables.if_contains("id"); id && id->is_string()) entry.id = std::string(id->as_string());
  if (auto* input = variables.if_contains("customInput"); input && input->is_object())
    if (auto* id = input->as_object().if_contains("id"); id && id->is_string()) entry.id = std::string(id->as_string());
  if (auto* input = variables.if_contains("input"); input && input->is_object())
    if (auto* vcs = input->as_object().if_contains("vcsIntegrationId"); vcs && vcs->is_string())
      entry.vcs_integration_id = std::string(vcs->as_string());
}

Response ResultResponse(const json::object& data, const json::array& errors) {
  json::object body{{"data", data}};
  if (!errors.empty()) body["errors"] = errors;
  return JsonResponse(200, body);
}

json::array Execute(State& state, const Operation& operation, const std::string& caller, json::object& data) {
  json::array errors;
  const auto& resolvers = operation.kind == "mutation" ? MutationResolvers() : QueryResolvers();
  for (const auto& field : operation.fields) {
    data[field.alias] = nullptr;
    auto resolver = resolvers.find(field.name);
    try {
      if (resolver == resolvers.end())
        throw GraphQLError("Cannot query field \"" + field.name + "\" on type \"" +
                           (operation.kind == "mutation" ? "Mutation" : "Query") + "\".");
      FieldCall call{field, state, caller};
      json::value answer = resolver->second.resolve(call);
      data[field.alias] = field.children.empty() ? answer : Project(answer, field.children, resolver->second.type_name);
    } catch (const std::exception& error) {
      // GraphQLError, or a projection error: the field is null and the message names it.
      errors.push_back(json::object{{"message", error.what()}, {"path", json::array{json::value(field.alias)}}});
    }
  }
  return errors;
}

/// A signed push queues a run on every stack bound to the integration that tracks the pushed
/// repository; a detached stack gets none, which is what "no more runs" means.
json::array TriggerRuns(State& state, const std::string& integration_id, const std::string& body) {
  json::array queued;
  boost::system::error_code ec;
  json::value payload = json::parse(body, ec);
  if (ec || !payload.is_object()) return queued;
  const json::value* repository = payload.as_object().if_contains("repository");
  if (!repository || !repository->is_object()) return queued;
  const json::value* slug = repository->as_object().if_contains("slug");
  const json::value* project = repository->as_object().if_contains("project");
  const json::value* key = project && project->is_object() ? project->as_object().if_contains("key") : nullptr;
  if (!slug || !key) return queued;
  for (const auto& [id, stack] : state.model.stacks) {
    const json::value& bound = stack.at("vcsIntegration");
    if (!bound.is_object() || bound.at("id") != json::value(integration_id)) continue;
    if (stack.at("repository") != *slug || stack.at("namespace") != *key) continue;
    queued.push_back(json::value(QueueRun(state, id, "webhook").at("id")));
  }
  return queued;
}

}  // namespace

Response GraphQLErrorResponse(int status, const std::string& message) {
  return JsonResponse(status, json::object{{"errors", json::array{json::object{{"message", message}}}}});
}

Response GraphQLErrors::Error(int status, const std::string& message) const {
  return GraphQLErrorResponse(status, message);
}

Response GraphQLErrors::NotFound(const Request& request) const {
  return GraphQLErrorResponse(404, "no admin route " + request.method + " " + request.path);
}

// The admin API has always answered 404 for a wrong method too; clients and tests rely on it.
Response GraphQLErrors::MethodNotAllowed(const Request& request) const { return NotFound(request); }

Response GraphQLErrors::Injected(const InjectedError& error) const {
  Response response = GraphQLErrorResponse(error.status, "injected fault " + std::to_string(error.status));
  if (error.retry_after_seconds) response.SetHeader("Retry-After", std::to_string(*error.retry_after_seconds));
  return response;
}

const GraphQLErrors& Errors() {
  static const GraphQLErrors kErrors;
  return kErrors;
}

void RefreshWebhookUrls(State& state) {
  for (auto& integration : state.model.integrations)
    integration.fields["webhookURL"] = WebhookUrl(state, integration.id);
}

App::App(json::value seed, Settings settings, FaultConfig faults) {
  state_.settings = std::move(settings);
  state_.faults.Configure(std::move(faults));
  state_.signing_key = state_.RandomHex(32);
  LoadSeed(state_, seed);
  state_.seed = std::move(seed);
  RegisterAdminRoutes(admin_);
}

void App::SetBaseUrl(const std::string& base_url) {
  std::lock_guard<std::mutex> lock(mutex_);
  state_.base_url = base_url;
  RefreshWebhookUrls(state_);
}

Outcome App::Handle(const Request& request) {
  if (request.path.rfind("/_emulator/", 0) == 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    return Outcome{HandleAdmin(request)};
  }
  if (request.path.rfind(kWebhookPrefix, 0) == 0 && request.method == "POST") {
    auto slash = request.path.rfind('/');
    std::lock_guard<std::mutex> lock(mutex_);
    return Outcome{HandleWebhook(request, request.path.substr(slash + 1))};
  }
  if (request.path != "/graphql") return Outcome{GraphQLErrorResponse(404, "no route " + request.path)};
  if (request.method != "POST") return Outcome{GraphQLErrorResponse(405, "use POST for /graphql")};
  return HandleGraphQL(request);
}

Outcome App::HandleGraphQL(const Request& request) {
  std::lock_guard<std::mutex> lock(mutex_);
  Outcome outcome;
  LoggedRequest entry;
  entry.method = request.method;
  entry.path = request.target;
  entry.time = NowMillis();
  entry.operation = request.Header("spacelift-graphql-query").value_or(request.Header("spacelift-graphql-mutation").value_or(""));
  Operation operation;
  std::optional<std::string> caller;
  std::string why;
  bool malformed = false;
  try {
    Envelope envelope = ReadEnvelope(request.body);
    NoteIds(entry, envelope.variables);
    operation = ParseOperation(envelope.query, envelope.variables);
    entry.kind = operation.kind;
    for (const auto& field : operation.fields) entry.fields += (entry.fields.empty() ? "" : ",") + field.name;
    caller = OnlyLogin(operation) ? std::optional<std::string>("") : VerifyJwt(state_, Bearer(request), &why);
  } catch (const std::exception& error) {
    outcome.response = GraphQLErrorResponse(400, error.what());
    entry.error = error.what();
    malformed = true;
  }
  if (caller) entry.caller = *caller;
  FaultDecision fault = state_.faults.Decide(request.method, request.path, entry.caller);
  outcome.delay = fault.delay;
  if (fault.drop) {
    outcome.drop = true;
  } else if (fault.error) {
    outcome.response = Errors().Injected(*fault.error);
  } else if (malformed) {
    // already answered with the reason
  } else if (!caller) {
    outcome.response = GraphQLErrorResponse(401, "unauthorized: " + why);
  } else {
    json::object data;
    json::array errors = Execute(state_, operation, *caller, data);
    if (!errors.empty()) entry.error = std::string(errors.front().at("message").as_string());
    outcome.response = ResultResponse(data, errors);
  }
  entry.status = outcome.drop ? 0 : outcome.response.status;
  state_.Log(std::move(entry));
  return outcome;
}

Response App::HandleWebhook(const Request& request, const std::string& integration_id) {
  Integration* integration = state_.model.FindIntegration(integration_id);
  json::object record{{"integration", integration_id},
                      {"eventKey", request.Header("x-event-key").value_or("")},
                      {"time", NowMillis()}};
  int status = 202;
  if (!integration) {
    status = 404;
  } else {
    std::string secret(integration->fields.at("webhookSecret").as_string());
    std::string expected = "sha256=";
    static const char kHex[] = "0123456789abcdef";
    for (unsigned char c : HmacSha256(secret, request.body)) expected += {kHex[c >> 4], kHex[c & 0xf]};
    // Requests without a valid signature fail, as Spacelift's docs say (platforms.md §1.5).
    if (request.Header("x-hub-signature").value_or("") != expected) status = 401;
  }
  record["status"] = status;
  record["signatureValid"] = status == 202;
  if (status == 202) record["runs"] = TriggerRuns(state_, integration_id, request.body);
  state_.deliveries.push_back(std::move(record));
  while (state_.deliveries.size() > state_.settings.request_log_capacity) state_.deliveries.pop_front();
  return status == 202 ? EmptyResponse(202) : GraphQLErrorResponse(status, status == 404 ? "no such integration" : "invalid signature");
}

const std::map<std::string, Resolver>& QueryResolvers() {
  static const auto kQueries = [] {
    std::map<std::string, Resolver> queries, mutations;
    AddIntegrationResolvers(queries, mutations);
    AddStackResolvers(queries, mutations);
    return queries;
  }();
  return kQueries;
}

const std::map<std::string, Resolver>& MutationResolvers() {
  static const auto kMutations = [] {
    std::map<std::string, Resolver> queries, mutations;
    AddIntegrationResolvers(queries, mutations);
    AddStackResolvers(queries, mutations);
    return mutations;
  }();
  return kMutations;
}

}  // namespace stashform::emulator::spacelift
