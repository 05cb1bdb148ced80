#include "emulators/bitbucket/app.h"

#include "emulators/bitbucket/auth.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/routes.h"

#include <boost/system/system_error.hpp>

#include <cctype>

namespace stashform::emulator {

namespace {
// A body in another media type is refused like the real server does (bitbucket-api.md §1.1);
// a body without any Content-Type is let through so that hand-written curl calls still work.
bool UnsupportedMediaType(const Request& request) {
  if (request.body.empty() || request.method == "GET" || request.method == "DELETE") return false;
  auto type = request.Header("content-type");
  if (!type) return false;
  std::string media = type->substr(0, type->find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media != "application/json";
}

Response RunHandler(const Handler& handler, Call& call) {
  try {
    return handler(call);
  } catch (const boost::system::system_error& error) {
    // Boost.JSON accessors throw on a wrong type in a request body: a client error.
    return ErrorResponse(400, std::string("Invalid request body: ") + error.what());
  } catch (const std::exception& error) {
    return ErrorResponse(500, std::string("Internal emulator error: ") + error.what());
  }
}
}  // namespace

App::App(boost::json::value seed, Settings settings, FaultConfig faults) {
  state_.model = ModelFromSeed(seed);
  state_.seed = std::move(seed);
  state_.settings = std::move(settings);
  state_.faults.Configure(std::move(faults));
  RegisterCoreRoutes(api_);
  RegisterProjectWriteRoutes(api_);
  RegisterRateLimitRoutes(api_);
  RegisterWebhookRoutes(api_);
  RegisterTokenRoutes(api_);
  RegisterApplinkRoutes(api_);
  RegisterOAuth2ClientRoutes(api_);
  RegisterBranchRoutes(api_);
  RegisterFileRoutes(api_);
  RegisterCommitRoutes(api_);
  RegisterArchiveRoutes(api_);
  RegisterAdminRoutes(admin_);
}

void App::SetBaseUrl(const std::string& base_url) {
  std::lock_guard<std::mutex> lock(mutex_);
  state_.base_url = base_url + state_.settings.context_path;
}

Outcome App::Handle(const Request& request) {
  std::string path = request.path;
  bool had_context = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string& context = state_.settings.context_path;
    if (!context.empty() && (path == context || path.rfind(context + "/", 0) == 0)) {
      path = path.substr(context.size());
      had_context = true;
    } else if (context.empty()) {
      had_context = true;
    }
  }
  std::vector<std::string> segments = NormalizedSegments(path);
  if (!segments.empty() && segments[0] == "_emulator") return HandleAdmin(request, segments);
  if (!had_context) return Outcome{NotFoundPath(request.path)};
  return HandleApi(request, path, std::move(segments));
}

Outcome App::HandleAdmin(const Request& request, const std::vector<std::string>& segments) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto match = admin_.Find(request.method, segments);
  if (!match) return Outcome{Errors().NotFound(request)};
  if (!match->handler) return Outcome{Errors().MethodNotAllowed(request)};
  Call call{request, std::move(match->params), state_, nullptr, &lock};
  return Outcome{RunHandler(*match->handler, call)};
}

Outcome App::HandleApi(const Request& request, const std::string& path, std::vector<std::string> segments) {
  std::unique_lock<std::mutex> lock(mutex_);
  Outcome outcome;
  AuthResult auth = Authenticate(request, state_.model);
  std::string caller = auth.principal ? auth.principal->name : "";
  FaultDecision fault = state_.faults.Decide(request.method, path, caller);
  outcome.delay = fault.delay;
  if (fault.drop) {
    outcome.drop = true;
  } else if (fault.error) {
    outcome.response = Errors().Injected(*fault.error);
  } else if (auth.rejected) {
    outcome.response = BadCredentials();
  } else if (UnsupportedMediaType(request)) {
    outcome.response = ErrorResponse(415, "Unsupported media type " + *request.Header("content-type") +
                                              "; send application/json.");
  } else {
    auto match = api_.Find(request.method, segments);
    if (!match) {
      outcome.response = Errors().NotFound(request);
    } else if (!match->handler) {
      outcome.response = Errors().MethodNotAllowed(request);
    } else {
      Call call{request, std::move(match->params), state_, auth.principal ? &*auth.principal : nullptr, &lock};
      outcome.response = RunHandler(*match->handler, call);
      if (!lock.owns_lock()) lock.lock();
    }
    // A lost answer: the change is made, the client never hears of it (what a crash looks like).
    outcome.drop = fault.drop_after_handling;
  }
  if (auth.principal && !outcome.drop) {
    outcome.response.SetHeader("X-AUSERNAME", auth.principal->name);
    outcome.response.SetHeader("X-AUSERID", std::to_string(auth.principal->id));
  }
  int logged_status = fault.drop ? 0 : outcome.response.status;
  state_.Log(LoggedRequest{0, request.method, request.target, logged_status, NowMillis(), caller, outcome.drop});
  return outcome;
}

}  // namespace stashform::emulator
