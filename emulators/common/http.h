#pragma once
// Plain request/response values shared by the Beast transport and every emulator's handlers, so
// that handlers can be written (and read) without any Beast types in sight.

#include <boost/json.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stashform::emulator {

/// Request is one decoded HTTP request: path without query or context path, lower-case header names.
struct Request {
  std::string method;
  std::string target;  // as received, for the request log
  std::string path;    // still percent-encoded, query and context path stripped
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;
  std::string body;

  std::optional<std::string> Header(const std::string& lower_name) const;
  std::optional<std::string> Query(const std::string& name) const;
  std::vector<std::string> QueryAll(const std::string& name) const;
};

/// Response is what a handler answers; the transport adds Content-Length and Connection.
struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void SetHeader(const std::string& name, const std::string& value);
};

/// Outcome is what an emulator hands back to the transport: an answer, or a dropped connection,
/// maybe after a delay (injected latency waits on a timer, not on a worker thread).
struct Outcome {
  Response response;
  bool drop = false;
  std::chrono::milliseconds delay{0};
};

Response JsonResponse(int status, const boost::json::value& body);
Response EmptyResponse(int status);

std::string PercentDecode(const std::string& text);
/// Splits "a=1&b=2" into a multimap, decoding '+' and %XX.
std::multimap<std::string, std::string> ParseQuery(const std::string& query);

}  // namespace stashform::emulator
