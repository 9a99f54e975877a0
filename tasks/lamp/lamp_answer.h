// Reading an answer out of a completion, the official way and perseval's lenient way
// (lamp.md §5, §6). Lenient results are always reported under their own metric names.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tasks/lamp/lamp_variant.h"

namespace perseval::lamp {

// Official LaMP-1/2 class id: labels.index(str(x).strip()), -1 when not exactly a label.
int official_label_id(const Variant& variant, std::string_view completion);

// The documented lenient clean-up: the first non-empty line; then, repeated until nothing
// changes, strip whitespace, a leading "Answer:" (any case), one pair of surrounding quotes
// ("", '', ``, “”, ‘’) and one trailing ".".
std::string lenient_answer_text(std::string_view completion);

// Lenient class id: the cleaned text matched against the labels, exactly first, then
// ASCII-case-insensitively; for LaMP-1 a bare "1"/"2" means "[1]"/"[2]". -1 when no match.
int lenient_label_id(const Variant& variant, std::string_view completion);

// Official LaMP-3 reading: Python float(str(x).strip()); nullopt where Python raises
// (the caller then substitutes the extreme farthest from the gold).
std::optional<double> official_rating(std::string_view completion);

// Lenient LaMP-3 reading: the first ASCII number (digits, optionally ".digits") in the
// text whose value lies in [1, 5] ("Rating: 4/5" → 4; "10 out of 10" → none).
std::optional<double> lenient_rating(std::string_view completion);

}  // namespace perseval::lamp
