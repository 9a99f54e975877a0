// Wall-clock time as text, for records.
#pragma once

#include <string>

namespace perseval {

// Current UTC time as ISO-8601 ("2026-11-27T07:13:23Z").
std::string utc_now_iso();

}  // namespace perseval
