// Throughput of LaMP generation scoring: tokenise a prediction and its reference, then
// ROUGE-1 and ROUGE-L, over 10,000 synthetic pairs (~12 and ~15 words).
#include <benchmark/benchmark.h>

#include <string>
#include <utility>
#include <vector>

#include "metrics/rouge.h"
#include "metrics/stats.h"

namespace {

using perseval::metrics::Rng;

// A fixed 400-word vocabulary ("w0" .. "w399" spelled as short pseudo-words) plus a few
// common words, so that overlaps, repeats and punctuation occur at realistic rates.
std::vector<std::string> make_vocabulary() {
  std::vector<std::string> words = {"the", "a", "of", "and", "to", "in", "is", "The", "A"};
  const char* syllables[] = {"ka", "lo", "mi", "ren", "tu", "sa", "vel", "no", "pri", "dex"};
  for (int i = 0; i < 400; ++i) {
    words.push_back(std::string(syllables[i % 10]) + syllables[(i / 10) % 10] +
                    (i >= 100 ? syllables[(i / 100) % 10] : ""));
  }
  return words;
}

std::string make_sentence(Rng& rng, const std::vector<std::string>& vocabulary,
                          int words) {
  std::string text;
  for (int i = 0; i < words; ++i) {
    if (i > 0) text += rng.below(8) == 0 ? ", " : " ";
    text += vocabulary[rng.below(vocabulary.size())];
  }
  text += rng.below(2) == 0 ? "." : "!";
  return text;
}

// Deterministic pairs: the prediction reuses about half of the reference's words.
const std::vector<std::pair<std::string, std::string>>& pairs() {
  static const auto generated = [] {
    Rng rng(20240601);
    const std::vector<std::string> vocabulary = make_vocabulary();
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(10000);
    for (int i = 0; i < 10000; ++i) {
      const std::string reference =
          make_sentence(rng, vocabulary, 13 + static_cast<int>(rng.below(5)));
      std::string prediction;
      const int words = 10 + static_cast<int>(rng.below(5));
      const std::vector<std::string> ref_tokens = perseval::metrics::rouge_tokenize(reference);
      for (int w = 0; w < words; ++w) {
        if (w > 0) prediction += ' ';
        prediction += rng.below(2) == 0 ? ref_tokens[rng.below(ref_tokens.size())]
                                        : vocabulary[rng.below(vocabulary.size())];
      }
      out.emplace_back(prediction, reference);
    }
    return out;
  }();
  return generated;
}

void BM_RougeOneAndL(benchmark::State& state) {
  const auto& data = pairs();
  for (auto _ : state) {
    double total = 0.0;
    for (const auto& [prediction, reference] : data) {
      const auto pred = perseval::metrics::rouge_tokenize(prediction);
      const auto ref = perseval::metrics::rouge_tokenize(reference);
      total += perseval::metrics::rouge_n(ref, pred, 1).fmeasure;
      total += perseval::metrics::rouge_l(ref, pred).fmeasure;
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data.size()));
}
BENCHMARK(BM_RougeOneAndL)->Unit(benchmark::kMillisecond);

}  // namespace
