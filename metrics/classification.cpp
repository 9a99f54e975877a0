// Accuracy and macro-F1 exactly as LaMP's eval/evaluation.py gets them from sklearn.
#include "metrics/classification.h"

#include <algorithm>
#include <cstddef>

#include "metrics/python_text.h"
#include "metrics/stats.h"

namespace perseval::metrics {
namespace {

struct LabelCounts {
  std::vector<long long> tp, fp, fn;
  explicit LabelCounts(int n) : tp(n, 0), fp(n, 0), fn(n, 0) {}
};

// One pass over the pairs. A wrong pair is a false negative of the gold class and a false
// positive of the predicted class; ids outside [0, n) belong to no class, so a -1
// prediction only costs its gold class a false negative.
LabelCounts count_labels(std::span<const int> golds, std::span<const int> preds,
                         int n_labels) {
  LabelCounts counts(std::max(n_labels, 0));
  const auto in_range = [&](int id) { return id >= 0 && id < n_labels; };
  const std::size_t n = std::min(golds.size(), preds.size());
  for (std::size_t i = 0; i < n; ++i) {
    const int gold = golds[i];
    const int pred = preds[i];
    if (gold == pred) {
      if (in_range(gold)) ++counts.tp[gold];
      continue;
    }
    if (in_range(gold)) ++counts.fn[gold];
    if (in_range(pred)) ++counts.fp[pred];
  }
  return counts;
}

// sklearn's per-label F1 as 2tp / (true_sum + pred_sum), one division, 0 for 0/0.
double label_f1(const LabelCounts& counts, int label) {
  const long long denominator = 2 * counts.tp[label] + counts.fp[label] + counts.fn[label];
  if (denominator == 0) return 0.0;
  return static_cast<double>(2 * counts.tp[label]) / static_cast<double>(denominator);
}

// The per-label counts of a confusion table: tp on the diagonal, a wrong pair is a false
// negative of its gold class and a false positive of its predicted class (-1 is no class).
LabelCounts count_labels(const Confusion& table) {
  const int n = table.n_labels();
  LabelCounts counts(n);
  for (int gold = -1; gold < n; ++gold) {
    for (int pred = -1; pred < n; ++pred) {
      const long long c = table.at(gold, pred);
      if (c == 0) continue;
      if (gold == pred) {
        if (gold >= 0) counts.tp[gold] += c;
        continue;
      }
      if (gold >= 0) counts.fn[gold] += c;
      if (pred >= 0) counts.fp[pred] += c;
    }
  }
  return counts;
}

long long total_pairs(const Confusion& table) {
  long long total = 0;
  for (int gold = -1; gold < table.n_labels(); ++gold)
    for (int pred = -1; pred < table.n_labels(); ++pred) total += table.at(gold, pred);
  return total;
}

double macro_f1_of(const LabelCounts& counts, int n_labels) {
  std::vector<double> per_label(n_labels);
  for (int label = 0; label < n_labels; ++label) per_label[label] = label_f1(counts, label);
  return mean(per_label);  // same summation order as numpy's average
}

double macro_f1_present_of(const LabelCounts& counts, int n_labels) {
  std::vector<double> per_label;
  for (int label = 0; label < n_labels; ++label) {
    if (counts.tp[label] + counts.fn[label] > 0) per_label.push_back(label_f1(counts, label));
  }
  return mean(per_label);
}

}  // namespace

double accuracy(const Confusion& table) {
  const long long n = total_pairs(table);
  if (n == 0) return 0.0;
  long long correct = 0;
  for (int label = 0; label < table.n_labels(); ++label) correct += table.at(label, label);
  return static_cast<double>(correct) / static_cast<double>(n);
}

double macro_f1(const Confusion& table) {
  if (total_pairs(table) == 0 || table.n_labels() <= 0) return 0.0;
  return macro_f1_of(count_labels(table), table.n_labels());
}

double macro_f1_present_labels(const Confusion& table) {
  if (total_pairs(table) == 0 || table.n_labels() <= 0) return 0.0;
  return macro_f1_present_of(count_labels(table), table.n_labels());
}

int label_index(const std::vector<std::string>& labels, std::string_view text) {
  const std::string stripped = python_strip(text);
  const auto it = std::find(labels.begin(), labels.end(), stripped);
  return it == labels.end() ? -1 : static_cast<int>(it - labels.begin());
}

double accuracy(std::span<const int> golds, std::span<const int> preds) {
  const std::size_t n = std::min(golds.size(), preds.size());
  if (n == 0) return 0.0;
  std::size_t correct = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // A -1 gold (not a label) never counts as matched by a -1 prediction.
    if (preds[i] == golds[i] && preds[i] >= 0) ++correct;
  }
  return static_cast<double>(correct) / static_cast<double>(n);
}

double macro_f1(std::span<const int> golds, std::span<const int> preds, int n_labels) {
  if (golds.empty() || preds.empty() || n_labels <= 0) return 0.0;
  return macro_f1_of(count_labels(golds, preds, n_labels), n_labels);
}

double macro_f1_present_labels(std::span<const int> golds, std::span<const int> preds,
                               int n_labels) {
  if (golds.empty() || preds.empty() || n_labels <= 0) return 0.0;
  return macro_f1_present_of(count_labels(golds, preds, n_labels), n_labels);
}

}  // namespace perseval::metrics
