// The PersonaFeedback persona table (persona/all_personas.jsonl) and its rendering
// (personafeedback.md §2.2–§2.4).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tasks/personafeedback/pf_options.h"

namespace perseval::personafeedback {

// Flat rendering, as the third-party loader the join rule comes from: "User persona:", then
// "- Name: {Name}", then for the sections Demographics, Personality, Preference, Bias in that
// order one line per leaf in file order, "- {Section}.{key}[.{subkey}…]: {value}" (a section
// that is not an object prints as "- {Section}: {value}"); strings are trimmed, lists joined
// with ", " (empty items dropped), numbers and booleans printed as JSON, empty values skipped.
std::string render_persona_flat(const nlohmann::ordered_json& persona);

// The persona object itself, pretty-printed with 2 spaces, keys in file order.
std::string render_persona_json(const nlohmann::ordered_json& persona);

// Every persona of the file, rendered, with the join rule.
class PersonaTable {
 public:
  // Reads `path`. join "line": user_id "N" is the persona on physical line N (1-based; the
  // rule of the loader in personafeedback.md §2.3). join "field:NAME": user_id equals the
  // persona's NAME field (string or integer). Throws InputError naming file and line for a
  // line that is not a JSON object, or a missing/duplicate NAME field.
  PersonaTable(const std::string& path, PersonaFormat format, const std::string& join);

  // The rendered persona for `user_id`, or nullptr when it does not resolve.
  const std::string* find(const std::string& user_id) const;
  size_t size() const { return by_key_.size(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::map<std::string, std::string> by_key_;  // join key → rendered persona
};

}  // namespace perseval::personafeedback
