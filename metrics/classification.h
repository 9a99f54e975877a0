// Classification metrics as LaMP's official scorer computes them (sklearn semantics).
// Class ids are indices into the task's label list; -1 marks "not a label".
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace perseval::metrics {

// Official label mapping: labels.index(python_strip(text)) or -1 when not exactly a label.
// No lower-casing, no punctuation stripping.
int label_index(const std::vector<std::string>& labels, std::string_view text);

// Fraction of positions where pred == gold (a -1 prediction is always wrong). 0 for empty input.
// Precondition: golds.size() == preds.size().
double accuracy(std::span<const int> golds, std::span<const int> preds);

// sklearn f1_score(golds, preds, labels=range(n_labels), average="macro"): per label
// F1 = 2tp / (2tp + fp + fn), 0 when the denominator is 0; the mean runs over ALL n_labels,
// including labels absent from both golds and preds. Ids outside [0, n_labels) count only
// as false negatives of the gold class. 0 for empty input.
double macro_f1(std::span<const int> golds, std::span<const int> preds, int n_labels);

// Macro-F1 averaged only over labels that occur among the golds (perseval's extra
// `f1_present_labels`). 0 when there are no golds.
double macro_f1_present_labels(std::span<const int> golds, std::span<const int> preds,
                               int n_labels);

}  // namespace perseval::metrics
