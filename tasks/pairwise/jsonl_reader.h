// Streaming JSON Lines input shared by the pairwise loaders (PersonaFeedback, recorded
// Personalized-Judge files), with one-line errors naming the file, the line and the field.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "harness/core/types.h"

namespace perseval::pairwise {

// "FILE:LINE: PROBLEM" (LINE is physical and 1-based; <= 0 omits it), the compiler style
// editors jump to.
std::string line_error(const std::string& file, long long line, const std::string& problem);

// Reads `path` line by line and calls `on_object(line, object)` for every non-blank line.
// Stops early when on_object returns false. Throws InputError when the file cannot be opened
// or a line is not a JSON object (the message names file and line).
void read_jsonl_objects(const std::string& path,
                        const std::function<bool(long long line, json&& object)>& on_object);

// object[field] as a string. Throws InputError "FILE:LINE: field 'F' missing" (or "is not a
// string") naming `what_for` when given, e.g. "expected fields: answer, certainty, ...".
std::string required_string(const json& object, const char* field, const std::string& file,
                            long long line, const std::string& what_for = "");

// object[field] as a string; nullopt when absent or null. Throws InputError when present with
// another type.
std::optional<std::string> optional_string(const json& object, const char* field,
                                           const std::string& file, long long line);

}  // namespace perseval::pairwise
