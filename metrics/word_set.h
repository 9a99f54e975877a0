// Word-set precision / recall / F1: the answer metric of PersonaBench's official scorer
// (scripts/evaluation/eval.py, personabench.md §4.2), usable by any task that compares
// bags of normalised words.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace perseval::metrics {

// eval.py's split_into_words(text) on UTF-8 text:
//   re.sub(r"[^a-zA-Z0-9\s]", "", text).strip().lower().split(), as a set.
// Every code point that is neither an ASCII letter/digit nor Python whitespace
// (str.isspace(): U+00A0, U+3000, \x1c, ...) is DELETED, not replaced by a space, so
// "5'6\"" → {"56"}, "e-mail" → {"email"}, "Café" → {"caf"}, "東京 Tokyo" → {"tokyo"},
// "a\u00A0b" → {"a", "b"}, "a\u200Bb" → {"ab"} (U+200B is not whitespace).
std::set<std::string> ascii_word_set(std::string_view text);

// Precision, recall and F1 of a predicted set against a gold set.
struct SetScores {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};

// eval.py's calculate_precision_recall_f1: tp = |gold ∩ pred|, P = tp / |pred|,
// R = tp / |gold|, F1 = 2·P·R / (P + R); each is 0 when its denominator is 0 (so an empty
// gold gives R = 0, not 1). Computed in the same floating-point order as the Python code,
// so results are bit-identical.
SetScores set_precision_recall_f1(const std::set<std::string>& gold,
                                  const std::set<std::string>& predicted);

}  // namespace perseval::metrics
