#include "modules/http/debug_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace stashform::http {
namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

bool LooksSecret(std::string_view parameter_name) {
  static constexpr std::array<std::string_view, 9> kSecretWords = {
      "token", "secret", "password", "passwd", "key", "auth", "signature", "sig", "credential"};
  const std::string name = Lower(parameter_name);
  return std::any_of(kSecretWords.begin(), kSecretWords.end(),
                     [&](std::string_view word) { return name.find(word) != std::string::npos; });
}

std::string RedactQuery(std::string_view query) {
  std::string out;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    const size_t equals = pair.find('=');
    if (start > 0) out += '&';
    if (equals != std::string_view::npos && LooksSecret(pair.substr(0, equals)))
      out += std::string(pair.substr(0, equals)) + "=***";
    else
      out += pair;
    start = end + 1;
  }
  return out;
}

bool DebugRequested() {
  const char* level = std::getenv("STASHFORM_LOG");
  return level != nullptr && Lower(level) == "debug";
}

}  // namespace

std::string RedactUrl(const std::string& url) {
  std::string out = url;
  const auto scheme_end = out.find("://");
  const size_t authority_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const size_t authority_end = out.find_first_of("/?#", authority_start);
  const auto at = out.rfind('@', authority_end == std::string::npos ? out.size() : authority_end);
  if (at != std::string::npos && at >= authority_start)
    out.replace(authority_start, at - authority_start, "***");
  const auto fragment = out.find('#');
  if (fragment != std::string::npos) out.erase(fragment);
  const auto question = out.find('?');
  if (question == std::string::npos) return out;
  return out.substr(0, question + 1) + RedactQuery(std::string_view(out).substr(question + 1));
}

DebugLog::DebugLog(Sink sink) : sink_(std::move(sink)) {
  if (!sink_ && DebugRequested())
    sink_ = [](const std::string& line) { std::fputs((line + "\n").c_str(), stderr); };
}

void DebugLog::Record(const Request& request, const Response& response,
                      std::chrono::steady_clock::duration elapsed,
                      std::optional<std::chrono::milliseconds> retry_in) const {
  if (!sink_) return;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  const std::string outcome = response.transport_error.empty()
                                  ? std::to_string(response.status)
                                  : fmt::format("error \"{}\"", response.transport_error);
  const std::string retry = retry_in ? fmt::format(", retry in {} ms", retry_in->count()) : "";
  sink_(fmt::format("http: {} {} -> {} (attempt {}, {} ms{})", request.method,
                    RedactUrl(request.url), outcome, response.attempts, ms, retry));
}

}  // namespace stashform::http
