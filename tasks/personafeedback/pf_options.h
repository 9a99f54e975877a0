// Parameters of `personafeedback:track=...,tier=...` (personafeedback.md §3–§4).
#pragma once

#include <string>
#include <vector>

#include "harness/core/spec.h"
#include "harness/core/types.h"
#include "tasks/pairwise/pair_layout.h"

namespace perseval::personafeedback {

enum class Mode { choice, reward };         // pick A/B, or score each response (reward model)
enum class PersonaFormat { flat, json };    // §2.4
enum class Position { random, alternate, stored };

struct PfOptions {
  std::vector<std::string> tracks = {"general", "specific"};  // track=all|general|specific
  std::vector<std::string> tiers = {"easy", "medium", "hard"};  // tier=all|easy|medium|hard
  Mode mode = Mode::choice;
  Position position = Position::random;  // gold shown first: seeded bit | even rows | always
  bool both_orders = false;              // order=both
  bool certainty = false;                // certainty=1-100
  PersonaFormat persona_format = PersonaFormat::flat;
  std::string persona_join = "line";     // "line" or "field:<name>"
  std::string data_path;                 // path=DIR: the personafeedback folder itself
};

// Parses and validates `spec.params`. Throws InputError naming the parameter and the accepted
// values: track, tier, mode=choice|reward, position=random|alternate|stored, order=single|both,
// certainty=none|1-100, persona_format=flat|json, persona_join=line|field:NAME, path=DIR.
PfOptions parse_pf_options(const Spec& spec);

// The canonical spec (every default filled in) and every parameter for the run identity.
Spec canonical_spec(const PfOptions& options);
json options_json(const PfOptions& options);

}  // namespace perseval::personafeedback
