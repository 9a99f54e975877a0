// The text of a failed request: short, one line, no headers, no secrets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace perseval {

// At most `max_bytes` of `body` on one line: control characters become spaces, runs of
// whitespace collapse, a cut is marked with "..." and never splits a UTF-8 character.
std::string body_excerpt(std::string_view body, size_t max_bytes = 200);

// `text` with every occurrence of each non-empty secret replaced by "[redacted]".
std::string redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace perseval
