// How JSON values are written to and read from the store's TEXT columns, private to
// harness/store.
#pragma once

#include <string>
#include <string_view>

#include "harness/core/types.h"

namespace perseval {

// Compact JSON text. Invalid UTF-8 inside strings is replaced (U+FFFD) rather than failing
// the write: a model's odd bytes must not lose a finished sample.
std::string to_json_text(const json& value);

// Parses a stored JSON column. Throws std::runtime_error "WHAT: stored JSON is invalid: ..."
// so a hand-edited or damaged row names itself.
json from_json_text(std::string_view text, const std::string& what);

// Scores are name -> number and may legitimately be NaN (e.g. a metric undefined for an
// empty answer) or infinite. JSON has no such numbers and nlohmann writes them as null,
// which would read back as "no score". So non-finite numbers are stored as the strings
// "nan", "inf" and "-inf" and turned back into numbers on read. Only scores get this:
// elsewhere (task params, notes) such strings could be genuine text.
std::string scores_to_json_text(const json& scores);
json scores_from_json_text(std::string_view text, const std::string& what);

}  // namespace perseval
