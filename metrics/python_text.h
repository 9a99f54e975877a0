// Python string semantics the official scorers rely on: str.strip(), str.isspace(),
// str.lower() and float(). Inputs are UTF-8; invalid UTF-8 bytes are treated as
// non-space, non-letter code points (they never occur in JSON-decoded text).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace perseval::metrics {

// True when Python's str.isspace() is true for the code point `cp`.
bool python_isspace(char32_t cp);

// Python `str(x).strip()` with no argument: removes leading and trailing Unicode whitespace
// (U+00A0, U+2003, U+3000, \x1c-\x1f, ... but not U+200B).
std::string python_strip(std::string_view text);

// Python `float(text)`: optional surrounding Unicode whitespace, sign, decimal/exponent
// forms ("4.", ".5", "1e0"), underscores between digits ("4_0" → 40), non-ASCII decimal
// digits ("４" → 4), case-insensitive "nan", "inf", "infinity". Returns nullopt where Python
// raises ValueError ("0x4", "4 stars", "four", "").
std::optional<double> python_float(std::string_view text);

}  // namespace perseval::metrics
