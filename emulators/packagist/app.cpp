#include "emulators/packagist/app.h"

#include "emulators/common/json_body.h"
#include "emulators/packagist/auth.h"

#include <chrono>

namespace stashform::emulator::packagist {

namespace json = boost::json;

Response PackagistErrors::Error(int status, const std::string& message) const {
  return JsonResponse(status, json::object{{"status", "error"}, {"message", message}});
}

const PackagistErrors& Errors() {
  static const PackagistErrors kErrors;
  return kErrors;
}

json::object ObjectBody(const Request& request) {
  auto parsed = ParseJsonObjectBody(request.body, Errors());
  if (auto* error = std::get_if<Response>(&parsed)) throw Answered{std::move(*error)};
  return std::get<json::object>(parsed);
}

Response PagedResponse(const Call& call, const json::array& items) {
  const std::size_t size = std::max<std::size_t>(1, call.state.settings.page_size);
  std::size_t page = 1;
  if (auto text = call.request.Query("page")) {
    try {
      page = std::max<std::size_t>(1, std::stoul(*text));
    } catch (const std::exception&) {
      throw Answered{Errors().Error(400, "page must be a positive number")};
    }
  }
  const std::size_t pages = std::max<std::size_t>(1, (items.size() + size - 1) / size);
  json::array slice;
  for (std::size_t i = (page - 1) * size; i < items.size() && i < page * size; ++i) slice.push_back(items[i]);
  Response response = JsonResponse(200, slice);
  const std::string base = call.state.base_url + call.request.path;
  std::string link;
  if (page < pages) link = "<" + base + "?page=" + std::to_string(page + 1) + ">; rel=\"next\", ";
  link += "<" + base + "?page=" + std::to_string(pages) + ">; rel=\"last\"";
  response.SetHeader("Link", link);
  return response;
}

App::App(json::value seed, Settings settings, FaultConfig faults) {
  state_.settings = settings;
  state_.faults.Configure(std::move(faults));
  LoadSeed(state_, seed);
  state_.seed = std::move(seed);
  RegisterCredentialRoutes(api_);
  RegisterPackageRoutes(api_);
  RegisterAdminRoutes(admin_);
}

void App::SetBaseUrl(const std::string& base_url) {
  std::lock_guard<std::mutex> lock(mutex_);
  state_.base_url = base_url;
}

Response App::Route(Router& router, const Request& request) {
  auto match = router.Find(request.method, DecodedSegments(request.path));
  if (!match) return Errors().Error(404, "No route found for \"" + request.method + " " + request.path + "\"");
  if (!match->handler) return Errors().Error(405, "Method " + request.method + " is not allowed on " + request.path);
  Call call{request, std::move(match->params), state_};
  try {
    return (*match->handler)(call);
  } catch (const Answered& answered) {
    return answered.response;
  } catch (const std::exception& error) {
    return Errors().Error(400, error.what());
  }
}

Outcome App::Handle(const Request& request) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (request.path.rfind("/_emulator/", 0) == 0) return Outcome{Route(admin_, request)};
  LoggedRequest entry;
  entry.method = request.method;
  entry.path = request.target;
  entry.time = NowMillis();
  // The signature first: a retry that reused its cnonce is refused even when a fault would fire.
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  SignatureVerdict verdict = VerifySignature(state_, request, now);
  entry.signature = verdict.reason;
  if (verdict.valid) entry.caller = verdict.key;
  Outcome outcome;
  FaultDecision fault = state_.faults.Decide(request.method, request.path, entry.caller);
  outcome.delay = fault.delay;
  if (fault.drop) {
    outcome.drop = true;
  } else if (fault.error) {
    outcome.response = Errors().Injected(*fault.error);
  } else if (!verdict.valid) {
    outcome.response = Errors().Error(401, "Invalid signature: " + verdict.reason);
  } else {
    outcome.response = Route(api_, request);
  }
  entry.status = outcome.drop ? 0 : outcome.response.status;
  entry.dropped = outcome.drop;
  if (entry.status >= 400) {
    boost::system::error_code ec;
    json::value body = json::parse(outcome.response.body, ec);
    if (!ec && body.is_object() && body.as_object().contains("message"))
      entry.error = json::value_to<std::string>(body.as_object().at("message"));
  }
  state_.Log(std::move(entry));
  return outcome;
}

}  // namespace stashform::emulator::packagist
