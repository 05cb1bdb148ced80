#pragma once
// The paged-answer envelope of bitbucket-api.md §1.3: start/limit in, size/limit/isLastPage/values/
// start[/nextPageStart] out, nextPageStart omitted on the last page.

#include "emulators/common/http.h"

#include <boost/json.hpp>

#include <optional>

namespace stashform::emulator {

struct PageRequest {
  std::size_t start = 0;
  std::size_t limit = 25;
};

constexpr std::size_t kDefaultPageLimit = 25;

/// Reads start/limit, clamping limit to [1, cap]; nullopt when either is not an integer.
std::optional<PageRequest> ParsePageRequest(const Request& request, std::size_t cap);

/// Cuts one page out of all matching values.
boost::json::object MakePage(const boost::json::array& all, const PageRequest& page);

/// Parses paging and answers the page, or a 400 when start/limit are malformed.
Response PagedResponse(const Request& request, std::size_t cap, const boost::json::array& all);

}  // namespace stashform::emulator
