// Classification metrics as LaMP's official scorer computes them (sklearn semantics).
// Class ids are indices into the task's label list; -1 marks "not a label".
#pragma once

#include <algorithm>
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

// A confusion table over class ids -1..n_labels-1 (-1 = "not a label"): cell(gold, pred)
// counts the pairs. Every function above is a function of this table, so a bootstrap can
// count each resample's pairs into a table (one increment per drawn pair) instead of
// copying them, and get bit-identical values.
class Confusion {
 public:
  explicit Confusion(int n_labels) : n_(n_labels), cells_((n_labels + 1) * (n_labels + 1), 0) {}
  // The cell index of a pair, or -1 when an id is outside -1..n_labels-1.
  int cell_of(int gold, int pred) const {
    if (gold < -1 || gold >= n_ || pred < -1 || pred >= n_) return -1;
    return (gold + 1) * (n_ + 1) + (pred + 1);
  }
  void add_cell(int cell) { ++cells_[static_cast<size_t>(cell)]; }
  void clear() { std::fill(cells_.begin(), cells_.end(), 0); }
  long long at(int gold, int pred) const { return cells_[static_cast<size_t>((gold + 1) * (n_ + 1) + (pred + 1))]; }
  int n_labels() const { return n_; }

 private:
  int n_;
  std::vector<long long> cells_;
};

// accuracy, macro_f1 and macro_f1_present_labels of the pairs counted in `table` (the same
// values as the span versions on those pairs; 0 for an empty table).
double accuracy(const Confusion& table);
double macro_f1(const Confusion& table);
double macro_f1_present_labels(const Confusion& table);

}  // namespace perseval::metrics
