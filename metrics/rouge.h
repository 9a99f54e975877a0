// ROUGE as google-research's rouge_score computes it (default tokenizer, no stemmer),
// which is what HF evaluate's "rouge" and therefore LaMP's official scorer use.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace perseval::metrics {

// rouge_score's tokenizer: Python lower() (so U+212A KELVIN SIGN → "k", U+0130 → "i"
// followed by a deleted combining dot), every run of characters outside [a-z0-9] becomes
// a separator, tokens are the non-empty pieces. Non-ASCII letters, emoji, CJK are deleted.
std::vector<std::string> rouge_tokenize(std::string_view text);

// Precision, recall and F-measure of one prediction against one reference.
struct RougeScore {
  double precision = 0.0;
  double recall = 0.0;
  double fmeasure = 0.0;
};

// ROUGE-N over token sequences: clipped n-gram overlap o; P = o / max(#pred n-grams, 1),
// R = o / max(#ref n-grams, 1), F = 2PR / (P + R) or 0 when P + R == 0.
RougeScore rouge_n(const std::vector<std::string>& reference,
                   const std::vector<std::string>& prediction, int n);

// ROUGE-L over whole token sequences (no sentence split): LCS length l; P = l/|pred|,
// R = l/|ref|; all zero when either side has no tokens.
RougeScore rouge_l(const std::vector<std::string>& reference,
                   const std::vector<std::string>& prediction);

// The official aggregate: rouge_score's BootstrapAggregator median (50th percentile of
// `resamples` bootstrap means), here with a seeded RNG so it is reproducible. Upstream's
// RNG is unseeded, so this matches the official value only to about 1e-3.
double bootstrap_median(std::span<const double> values, uint64_t seed, int resamples = 1000);

}  // namespace perseval::metrics
