// LaMP-1/2 label mapping, accuracy and sklearn macro-F1.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "metrics/classification.h"
#include "metrics/stats.h"

using namespace perseval::metrics;

namespace {
// LaMP-2 (movies) labels in the official order (lamp.md §4).
const std::vector<std::string> kMovieLabels = {
    "sci-fi",  "based on a book", "comedy",  "action",    "twist ending",
    "dystopia", "dark comedy",    "classic", "psychology", "fantasy",
    "romance", "thought-provoking", "social commentary", "violence", "true story"};
const std::vector<std::string> kLamp1Labels = {"[1]", "[2]"};
}  // namespace

TEST_CASE("label_index is an exact match after Python strip", "[metrics]") {
  CHECK(label_index(kMovieLabels, "comedy") == 2);
  CHECK(label_index(kMovieLabels, " comedy\n") == 2);
  CHECK(label_index(kMovieLabels, "\u00a0true story\u3000") == 14);
  CHECK(label_index(kMovieLabels, "Comedy") == -1);   // no lower-casing
  CHECK(label_index(kMovieLabels, "comedy.") == -1);  // no punctuation stripping
  CHECK(label_index(kMovieLabels, "\u200bcomedy") == -1);
  CHECK(label_index(kMovieLabels, "dark  comedy") == -1);
  CHECK(label_index(kMovieLabels, "") == -1);
  CHECK(label_index(kLamp1Labels, "[1]") == 0);
  CHECK(label_index(kLamp1Labels, "[2]\n") == 1);
  CHECK(label_index(kLamp1Labels, "[1].") == -1);
  CHECK(label_index(kLamp1Labels, "1") == -1);
  CHECK(label_index(kLamp1Labels, "Answer: [1]") == -1);
}

TEST_CASE("accuracy counts exact id matches", "[metrics]") {
  const std::vector<int> golds = {0, 1, 1, 0};
  const std::vector<int> preds = {0, 1, -1, 1};
  CHECK(accuracy(golds, preds) == 0.5);
  CHECK(accuracy(std::vector<int>{}, std::vector<int>{}) == 0.0);
  // A -1 prediction is always wrong, even against a -1 gold.
  CHECK(accuracy(std::vector<int>{-1}, std::vector<int>{-1}) == 0.0);
}

TEST_CASE("macro-F1 over 15 labels with 3 present", "[metrics]") {
  // Hand computation (also reproduced by a plain-Python sklearn-semantics reference):
  //   label 0: tp 1, fn 1 (gold 0 predicted 1)        -> 2/(2+1)   = 2/3
  //   label 1: tp 1, fp 1                              -> 2/(2+1)   = 2/3
  //   label 2: tp 1, fn 2 (predicted -1 and 5)         -> 2/(2+2)   = 1/2
  //   label 5: fp 1, no gold                           -> 0/(0+1)   = 0
  //   the other 11 labels: 0/0                         -> 0
  //   macro over all 15 = (2/3 + 2/3 + 1/2) / 15 = 11/90; over the 3 present = 11/18.
  const std::vector<int> golds = {0, 0, 1, 2, 2, 2};
  const std::vector<int> preds = {0, 1, 1, 2, -1, 5};
  CHECK(macro_f1(golds, preds, 15) == Approx(11.0 / 90.0).epsilon(0).margin(1e-12));
  CHECK(macro_f1_present_labels(golds, preds, 15) ==
        Approx(11.0 / 18.0).epsilon(0).margin(1e-12));
  CHECK(accuracy(golds, preds) == 0.5);
}

TEST_CASE("a -1 prediction is a false negative only", "[metrics]") {
  // Gold {0, 1}, prediction {0, -1}: label 0 F1 = 1, label 1 F1 = 0 (fn only). If -1 were a
  // false positive of some class, label 0 or the mean would move.
  const std::vector<int> golds = {0, 1};
  const std::vector<int> with_invalid = {0, -1};
  CHECK(macro_f1(golds, with_invalid, 2) == 0.5);
  // Predicting the wrong real label instead also costs label 0 a false positive:
  // label 0 F1 = 2/(2+1), label 1 = 0 -> 1/3.
  const std::vector<int> with_wrong_label = {0, 0};
  CHECK(macro_f1(golds, with_wrong_label, 2) == Approx(1.0 / 3.0).epsilon(0).margin(1e-12));
}

TEST_CASE("macro-F1 edge cases", "[metrics]") {
  const std::vector<int> none;
  CHECK(macro_f1(none, none, 15) == 0.0);
  CHECK(macro_f1_present_labels(none, none, 15) == 0.0);
  const std::vector<int> golds = {1, 1, 1};
  CHECK(macro_f1(golds, golds, 2) == 0.5);  // label 0 absent everywhere -> F1 0
  CHECK(macro_f1_present_labels(golds, golds, 2) == 1.0);
  const std::vector<int> invalid = {-1, -1, -1};
  CHECK(macro_f1(golds, invalid, 2) == 0.0);
  CHECK(macro_f1_present_labels(golds, invalid, 2) == 0.0);
}

TEST_CASE("confusion-table accuracy and macro-F1 equal the pairwise versions bit for bit", "[metrics]") {
  // Random pairs over 5 labels plus -1 (not a label) on either side, many sizes.
  Rng rng(99);
  for (int round = 0; round < 200; ++round) {
    const int n_labels = 1 + static_cast<int>(rng.below(6));
    const size_t n = static_cast<size_t>(rng.below(60));
    std::vector<int> golds(n), preds(n);
    Confusion table(n_labels);
    for (size_t i = 0; i < n; ++i) {
      golds[i] = static_cast<int>(rng.below(n_labels + 1)) - 1;
      preds[i] = rng.below(3) == 0 ? golds[i] : static_cast<int>(rng.below(n_labels + 1)) - 1;
      const int cell = table.cell_of(golds[i], preds[i]);
      REQUIRE(cell >= 0);
      table.add_cell(cell);
    }
    INFO("round " << round << " n=" << n << " labels=" << n_labels);
    CHECK(accuracy(table) == accuracy(golds, preds));
    CHECK(macro_f1(table) == macro_f1(golds, preds, n_labels));
    CHECK(macro_f1_present_labels(table) == macro_f1_present_labels(golds, preds, n_labels));
  }
  Confusion table(3);
  CHECK(table.cell_of(3, 0) == -1);   // out of range: callers fall back to the pairwise form
  CHECK(table.cell_of(0, -2) == -1);
  CHECK(accuracy(table) == 0.0);      // empty
  // Hand-computed: pairs (0,0), (0,1), (1,1), (2,-1): accuracy 2/4; F1 per label
  // 0: 2*1/(2+0+1) = 2/3, 1: 2*1/(2+1+0) = 2/3, 2: 0/(0+0+1) = 0 → macro (2/3+2/3+0)/3.
  for (auto [g, p] : std::vector<std::pair<int, int>>{{0, 0}, {0, 1}, {1, 1}, {2, -1}}) table.add_cell(table.cell_of(g, p));
  CHECK(accuracy(table) == 0.5);
  CHECK(macro_f1(table) == Approx((2.0 / 3 + 2.0 / 3 + 0) / 3).epsilon(1e-15));
}
