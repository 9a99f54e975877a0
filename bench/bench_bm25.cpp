// BM25 over a LaMP-sized profile: index build plus one top-4 query, as LaMP's prompt
// builder does for every question (a fresh index per question's profile).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "tasks/retrieval/bm25.h"
#include "tasks/retrieval/whitespace.h"

namespace {

// A deterministic synthetic profile: `n_items` items of ~`words` words drawn from a Zipf-ish
// vocabulary, so some terms are frequent (negative idf path) and most are rare.
std::vector<std::string> synthetic_profile(size_t n_items, size_t words) {
  std::vector<std::string> items;
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (size_t i = 0; i < n_items; ++i) {
    std::string text;
    for (size_t w = 0; w < words; ++w) {
      const uint64_t r = next() % 1000;
      const uint64_t term = (r * r) / 200;  // skewed towards small ids
      text += "w" + std::to_string(term) + (w + 1 < words ? " " : "");
    }
    items.push_back(std::move(text));
  }
  return items;
}

void BM25_BuildAndTop4(benchmark::State& state) {
  const auto n_items = static_cast<size_t>(state.range(0));
  const auto items = synthetic_profile(n_items, 100);
  const auto query = perseval::retrieval::whitespace_split(synthetic_profile(1, 40).front());
  for (auto _ : state) {
    std::vector<std::vector<std::string>> corpus;
    corpus.reserve(items.size());
    for (const auto& text : items) corpus.push_back(perseval::retrieval::whitespace_split(text));
    const perseval::retrieval::Bm25Okapi index(corpus);
    benchmark::DoNotOptimize(index.top_k(query, 4));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n_items));
}
BENCHMARK(BM25_BuildAndTop4)->Arg(500)->Unit(benchmark::kMicrosecond);

void BM25_Top4Only(benchmark::State& state) {
  const auto items = synthetic_profile(500, 100);
  std::vector<std::vector<std::string>> corpus;
  for (const auto& text : items) corpus.push_back(perseval::retrieval::whitespace_split(text));
  const perseval::retrieval::Bm25Okapi index(corpus);
  const auto query = perseval::retrieval::whitespace_split(synthetic_profile(1, 40).front());
  for (auto _ : state) benchmark::DoNotOptimize(index.top_k(query, 4));
  state.SetItemsProcessed(state.iterations() * 500);
}
BENCHMARK(BM25_Top4Only)->Unit(benchmark::kMicrosecond);

}  // namespace
