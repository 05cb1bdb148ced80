#include "emulators/gitpod/app.h"

#include "emulators/common/json_body.h"

#include <set>

namespace stashform::emulator::gitpod {

namespace json = boost::json;

namespace {

constexpr const char* kServicePrefix = "/gitpod.v1.AuthProviderService/";
constexpr const char* kPublicApi = "/public-api";

std::string CodeOfStatus(int status) {
  switch (status) {
    case 400: return "invalid_argument";
    case 401: return "unauthenticated";
    case 403: return "permission_denied";
    case 404: return "not_found";
    case 409: return "already_exists";
    case 429: return "resource_exhausted";
    case 501: return "unimplemented";
    case 503: return "unavailable";
    case 504: return "deadline_exceeded";
    default: return status >= 500 ? "internal" : "unknown";
  }
}

std::string Bearer(const Request& request) {
  auto header = request.Header("authorization");
  if (!header || header->rfind("Bearer ", 0) != 0) return "";
  return header->substr(7);
}

/// Rejects a field the request message does not have, as Connect's JSON codec does.
void CheckFields(const json::object& message, const std::vector<std::string>& allowed, const std::string& prefix,
                 const std::string& type) {
  const std::set<std::string> known(allowed.begin(), allowed.end());
  for (const auto& [key, value] : message) {
    const std::string name = prefix + std::string(key);
    if (!known.count(name))
      throw ConnectError{"invalid_argument", "unknown field \"" + std::string(key) + "\" in " + type};
    if (value.is_object()) CheckFields(value.as_object(), allowed, name + ".", type);
  }
}

}  // namespace

int HttpStatusOfCode(const std::string& code) {
  static const std::map<std::string, int> kStatus = {
      {"canceled", 499},          {"unknown", 500},           {"invalid_argument", 400}, {"deadline_exceeded", 504},
      {"not_found", 404},         {"already_exists", 409},    {"permission_denied", 403}, {"resource_exhausted", 429},
      {"failed_precondition", 400}, {"aborted", 409},         {"out_of_range", 400},     {"unimplemented", 501},
      {"internal", 500},          {"unavailable", 503},       {"data_loss", 500},        {"unauthenticated", 401}};
  auto it = kStatus.find(code);
  return it == kStatus.end() ? 500 : it->second;
}

Response ConnectErrorResponse(const std::string& code, const std::string& message) {
  return JsonResponse(HttpStatusOfCode(code), json::object{{"code", code}, {"message", message}});
}

Response ConnectErrors::Error(int status, const std::string& message) const {
  return JsonResponse(status, json::object{{"code", CodeOfStatus(status)}, {"message", message}});
}

Response ConnectErrors::Injected(const InjectedError& error) const {
  Response response = Error(error.status, "injected fault " + std::to_string(error.status));
  if (error.retry_after_seconds) response.SetHeader("Retry-After", std::to_string(*error.retry_after_seconds));
  return response;
}

const ConnectErrors& Errors() {
  static const ConnectErrors kErrors;
  return kErrors;
}

App::App(json::value seed, Settings settings, FaultConfig faults) {
  state_.settings = settings;
  state_.faults.Configure(std::move(faults));
  LoadSeed(state_, seed);
  state_.seed = std::move(seed);
  RegisterAdminRoutes(admin_);
}

void App::SetBaseUrl(const std::string& base_url) {
  std::lock_guard<std::mutex> lock(mutex_);
  state_.base_url = base_url;
}

Outcome App::Handle(const Request& request) {
  if (request.path.rfind("/_emulator/", 0) == 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    return Outcome{HandleAdmin(request)};
  }
  // The dashboard's base (<url>/public-api) and the API host's root (api.gitpod.io) alike.
  std::string path = request.path.rfind(kPublicApi, 0) == 0 ? request.path.substr(std::string(kPublicApi).size()) : request.path;
  if (path.rfind(kServicePrefix, 0) != 0)
    return Outcome{ConnectErrorResponse("unimplemented", "no procedure at " + request.path)};
  return HandleService(request, path.substr(std::string(kServicePrefix).size()));
}

Outcome App::HandleService(const Request& request, const std::string& procedure) {
  std::lock_guard<std::mutex> lock(mutex_);
  LoggedRequest entry;
  entry.method = request.method;
  entry.path = request.target;
  entry.time = NowMillis();
  entry.procedure = procedure;
  const User* caller = state_.model.UserOfToken(Bearer(request));
  if (caller) entry.caller = caller->id;
  Outcome outcome;
  FaultDecision fault = state_.faults.Decide(request.method, request.path, entry.caller);
  outcome.delay = fault.delay;
  try {
    auto found = Procedures().find(procedure);
    if (fault.drop) {
      outcome.drop = true;
    } else if (fault.error) {
      outcome.response = Errors().Injected(*fault.error);
    } else if (found == Procedures().end()) {
      throw ConnectError{"unimplemented", "gitpod.v1.AuthProviderService has no procedure " + procedure};
    } else if (request.method != "POST") {
      throw ConnectError{"unimplemented", "use POST for " + procedure};
    } else if (request.Header("content-type").value_or("").rfind("application/json", 0) != 0) {
      throw ConnectError{"invalid_argument", "this emulator speaks Connect with JSON: Content-Type application/json"};
    } else if (!caller) {
      throw ConnectError{"unauthenticated", "a valid personal access token is required (Authorization: Bearer)"};
    } else {
      auto parsed = ParseJsonObjectBody(request.body, Errors());
      if (std::holds_alternative<Response>(parsed)) throw ConnectError{"invalid_argument", "the body is not a JSON object"};
      const json::object& message = std::get<json::object>(parsed);
      CheckFields(message, found->second.fields, "", "gitpod.v1." + procedure + "Request");
      ServiceCall call{*caller, message, state_};
      outcome.response = JsonResponse(200, found->second.handle(call));
      outcome.drop = fault.drop_after_handling;  // a lost answer: the change is made, the reply never arrives
    }
  } catch (const ConnectError& error) {
    outcome.response = ConnectErrorResponse(error.code, error.message);
    entry.code = error.code;
    entry.error = error.message;
  }
  if (outcome.response.status >= 400 && entry.code.empty()) entry.code = CodeOfStatus(outcome.response.status);
  entry.status = outcome.drop ? 0 : outcome.response.status;
  entry.dropped = outcome.drop;
  state_.request_log.Append(std::move(entry), state_.settings.request_log_capacity);
  return outcome;
}

}  // namespace stashform::emulator::gitpod
