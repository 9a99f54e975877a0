// The five-band verbal certainty scale (1–100) of the Personalized-Judge protocol
// (personalized_judge.md §3.1), shared by its prompts and PersonaFeedback's certainty variant.
#pragma once

#include <string>

namespace perseval::pairwise {

// The five band lines exactly as the upstream prompts print them ("1--20 (Uncertain): …"),
// joined by '\n', without a trailing newline.
const std::string& certainty_band_lines();

// Which band a certainty in 1..100 falls in: 0 for 1–20 … 4 for 81–100; -1 outside 1..100.
int certainty_band(int certainty);

// The band's range label: "1-20", "21-40", "41-60", "61-80", "81-100" ("" for -1).
std::string certainty_band_label(int band);

}  // namespace perseval::pairwise
