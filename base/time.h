#pragma once
// Calendar time as text: the one RFC 3339 formatter for lock holders, state and the emulators.

#include <chrono>
#include <string>

namespace stashform {

/// `2026-12-07T06:25:58Z`: UTC, whole seconds.
std::string FormatRfc3339(std::chrono::system_clock::time_point time);
/// FormatRfc3339 of the system clock's now.
std::string NowRfc3339();

}  // namespace stashform
