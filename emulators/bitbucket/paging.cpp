#include "emulators/bitbucket/paging.h"

#include "emulators/bitbucket/errors.h"

#include <algorithm>
#include <charconv>

namespace stashform::emulator {

namespace {
std::optional<long long> ParseInteger(const std::string& text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}
}  // namespace

std::optional<PageRequest> ParsePageRequest(const Request& request, std::size_t cap) {
  PageRequest page;
  page.limit = std::min(kDefaultPageLimit, cap);
  if (auto start = request.Query("start")) {
    auto value = ParseInteger(*start);
    if (!value) return std::nullopt;
    page.start = static_cast<std::size_t>(std::max(0LL, *value));
  }
  if (auto limit = request.Query("limit")) {
    auto value = ParseInteger(*limit);
    if (!value) return std::nullopt;
    // The server clamps instead of refusing; clients must read the limit back (§1.3).
    page.limit = static_cast<std::size_t>(std::clamp<long long>(*value, 1, static_cast<long long>(cap)));
  }
  return page;
}

boost::json::object MakePage(const boost::json::array& all, const PageRequest& page) {
  boost::json::array values;
  std::size_t end = std::min(all.size(), page.start + page.limit);
  for (std::size_t i = page.start; i < end; ++i) values.push_back(all[i]);
  bool last = end >= all.size();
  boost::json::object envelope;
  // Field order as real answers have it.
  envelope["size"] = values.size();
  envelope["limit"] = page.limit;
  envelope["isLastPage"] = last;
  envelope["values"] = std::move(values);
  envelope["start"] = page.start;
  if (!last) envelope["nextPageStart"] = end;
  return envelope;
}

Response PagedResponse(const Request& request, std::size_t cap, const boost::json::array& all) {
  auto page = ParsePageRequest(request, cap);
  if (!page) {
    return ValidationError(request.Query("start") && !ParseInteger(*request.Query("start")) ? "start" : "limit",
                           "start and limit must be integers.");
  }
  return JsonResponse(200, MakePage(all, *page));
}

}  // namespace stashform::emulator
