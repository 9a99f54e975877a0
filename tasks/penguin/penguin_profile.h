// PENGUIN's ten context attributes (penguin.md §1–§2): canonical Title Case names, the
// explicit snake_case mapping of the Hugging Face records, and the attribute selections of
// the context modes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/core/types.h"

namespace perseval::penguin {

// The ten attributes in canonical order (the order of the judge's background line).
const std::vector<std::string>& attribute_names();

// The canonical name for a key written as in either data format: Title Case ("Marital
// Status") or snake_case ("marital_status"); "past_self_harm_history" and
// "self_harm_history" both mean "Past Self-Harm History". nullopt for any other key.
std::optional<std::string> canonical_attribute(std::string_view key);

// A user profile: canonical name → value, for the attributes the record has.
using Profile = std::vector<std::pair<std::string, std::string>>;

// The attributes of a record object (either key style; non-string values printed as JSON),
// in canonical order. Keys that are not attributes are ignored.
Profile profile_of(const json& record);

// The value of `name` in `profile`, or nullopt.
std::optional<std::string> attribute_value(const Profile& profile, std::string_view name);

// Parses a '+'-separated attribute list ("age+emotional_state", "Emotional State+Age"),
// keeping the order written. Throws InputError naming an unknown attribute.
std::vector<std::string> parse_attribute_list(const std::string& text, const std::string& context);

// Parses an official attribute path cell, a Python list literal of strings:
// "['Emotional State', \"Age\"]". nullopt when it is not such a list (upstream then falls
// back to the default path). Unknown names are kept as written (they render "Not specified").
std::optional<std::vector<std::string>> parse_attribute_path(std::string_view cell);

}  // namespace perseval::penguin
