// Every metric in metrics/ at run scale (20,000 samples, the size of a large LaMP dev split
// or a leaderboard comparison), single-threaded as the runner's aggregation calls them.
// One op = the metric over all n samples; items/s = samples/s. Each value is computed once
// before timing and checked (finite, in range), so a broken metric aborts instead of
// reporting a time. ROUGE is in bench_rouge.cpp.
//
//   BM_MetricAccuracyMacroF1   accuracy + macro-F1 + macro-F1 over present labels (15 labels)
//   BM_MetricMaeRmse           MAE + RMSE (LaMP-3 ratings)
//   BM_MetricRankingAt5        binary nDCG@5, recall@5, P@5, MRR, AP per query (PersonaBench ids)
//   BM_MetricNdcgGraded        graded nDCG@10 with 50 judged items per query
//   BM_MetricWordSet           PersonaBench word sets of gold and answer + P/R/F1
//   BM_MetricSelectiveCalibration  risk–coverage curve, AURC, AUROC, ECE, Brier, selective@0.8
//   BM_MetricJudgeAgreement    Cohen's kappa + per-item draw agreement (3 draws)
//   BM_MetricJudgeMeanInterval two-level bootstrap (items x 3 draws, 1,000 resamples)
//   BM_StatsPairedBootstrap    paired bootstrap of B − A, 1,000 resamples
//   BM_StatsMcNemar            paired flips + exact McNemar p-value
//   BM_StatsSignFlip           sign-flip permutation test, 10,000 Monte Carlo patterns
//   BM_StatsBootstrapIntervals 4 statistics on shared resamples, 1,000 resamples
//   BM_StatsClusterBootstrap   bootstrap over 2,000 users, 1,000 resamples
//
//   build/perseval_bench --benchmark_filter='BM_Metric|BM_Stats'
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <span>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "bench/synthetic_data.h"
#include "metrics/classification.h"
#include "metrics/cluster_bootstrap.h"
#include "metrics/judge_uncertainty.h"
#include "metrics/paired_stats.h"
#include "metrics/ranking.h"
#include "metrics/regression.h"
#include "metrics/stats.h"
#include "metrics/word_set.h"

using namespace perseval::metrics;
using perseval::bench::require;
using perseval::bench::TextGen;

namespace {

constexpr int kN = 20000;

bool in_unit(double v) { return std::isfinite(v) && v >= 0.0 && v <= 1.0; }

void BM_MetricAccuracyMacroF1(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  TextGen g(1);
  std::vector<int> golds(n), preds(n);
  for (size_t i = 0; i < n; ++i) {
    golds[i] = static_cast<int>(g.below(15));
    const auto r = g.below(100);
    preds[i] = r < 70 ? golds[i] : r < 75 ? -1 : static_cast<int>(g.below(15));
  }
  const double acc = accuracy(golds, preds), f1 = macro_f1(golds, preds, 15);
  require(in_unit(acc) && in_unit(f1) && acc > 0.6, "accuracy/macro-F1 out of range");
  for (auto _ : state) {
    benchmark::DoNotOptimize(accuracy(golds, preds));
    benchmark::DoNotOptimize(macro_f1(golds, preds, 15));
    benchmark::DoNotOptimize(macro_f1_present_labels(golds, preds, 15));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  state.counters["accuracy"] = acc;
  state.counters["macro_f1"] = f1;
}
BENCHMARK(BM_MetricAccuracyMacroF1)->Arg(kN)->Unit(benchmark::kMicrosecond);

void BM_MetricMaeRmse(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  TextGen g(2);
  std::vector<double> golds(n), preds(n);
  for (size_t i = 0; i < n; ++i) {
    golds[i] = static_cast<double>(1 + g.below(5));
    preds[i] = g.below(10) < 6 ? golds[i] : static_cast<double>(1 + g.below(5));
  }
  const double mae = mean_absolute_error(golds, preds), rmse = root_mean_squared_error(golds, preds);
  require(std::isfinite(mae) && std::isfinite(rmse) && mae > 0 && rmse >= mae, "MAE/RMSE out of range");
  for (auto _ : state) {
    benchmark::DoNotOptimize(mean_absolute_error(golds, preds));
    benchmark::DoNotOptimize(root_mean_squared_error(golds, preds));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  state.counters["mae"] = mae;
  state.counters["rmse"] = rmse;
}
BENCHMARK(BM_MetricMaeRmse)->Arg(kN)->Unit(benchmark::kMicrosecond);

// Per query: 5 retrieved 12-digit segment ids out of a user's ~400, 1–3 relevant ids.
struct RankingQuery {
  std::vector<std::string> ranked;
  std::set<std::string> relevant;
};

std::vector<RankingQuery> ranking_queries(size_t n) {
  TextGen g(3);
  auto seg = [&g] {
    char buf[24];
    std::snprintf(buf, sizeof buf, "000001%06d", static_cast<int>(g.below(400)));
    return std::string(buf);
  };
  std::vector<RankingQuery> out(n);
  for (auto& q : out) {
    const size_t rel = 1 + g.below(3);
    while (q.relevant.size() < rel) q.relevant.insert(seg());
    for (int i = 0; i < 5; ++i) {
      if (g.below(3) == 0) {  // a third of the positions hold a relevant id
        auto it = q.relevant.begin();
        std::advance(it, static_cast<long>(g.below(q.relevant.size())));
        q.ranked.push_back(*it);
      } else {
        q.ranked.push_back(seg());
      }
    }
  }
  return out;
}

void BM_MetricRankingAt5(benchmark::State& state) {
  const auto queries = ranking_queries(static_cast<size_t>(state.range(0)));
  auto run = [&queries] {
    double sum = 0;
    for (const auto& q : queries) {
      sum += ndcg_at_k(q.ranked, q.relevant, 5);
      sum += recall_at_k(q.ranked, q.relevant, 5);
      sum += precision_at_k(q.ranked, q.relevant, 5);
      sum += reciprocal_rank(q.ranked, q.relevant, 5);
      sum += average_precision(q.ranked, q.relevant, 5);
    }
    return sum;
  };
  double ndcg = 0;
  for (const auto& q : queries) ndcg += ndcg_at_k(q.ranked, q.relevant, 5);
  ndcg /= static_cast<double>(queries.size());
  require(std::isfinite(run()) && ndcg > 0.05, "ranking metrics out of range");
  for (auto _ : state) benchmark::DoNotOptimize(run());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(queries.size()));
  state.counters["mean_ndcg@5"] = ndcg;
}
BENCHMARK(BM_MetricRankingAt5)->Arg(kN)->Unit(benchmark::kMillisecond);

void BM_MetricNdcgGraded(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  TextGen g(4);
  std::vector<std::vector<double>> ranked(n), judged(n);
  for (size_t i = 0; i < n; ++i) {
    for (int j = 0; j < 50; ++j) judged[i].push_back(static_cast<double>(g.below(4)));
    for (int j = 0; j < 10; ++j) ranked[i].push_back(judged[i][g.below(50)]);
  }
  auto run = [&] {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) sum += ndcg_at_k(ranked[i], judged[i], 10, Gain::exponential);
    return sum / static_cast<double>(n);
  };
  const double mean_ndcg = run();
  require(in_unit(mean_ndcg) && mean_ndcg > 0, "graded nDCG out of range");
  for (auto _ : state) benchmark::DoNotOptimize(run());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  state.counters["mean_ndcg@10"] = mean_ndcg;
}
BENCHMARK(BM_MetricNdcgGraded)->Arg(kN)->Unit(benchmark::kMillisecond);

void BM_MetricWordSet(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  TextGen g(5);
  std::vector<std::string> golds(n), answers(n);
  for (size_t i = 0; i < n; ++i) {
    golds[i] = g.words(1 + g.below(4));
    // Model answers: a short phrase, sometimes wordy, with punctuation and non-ASCII.
    answers[i] = (g.below(2) ? golds[i] : g.words(2)) + ", " + g.words(g.below(3) ? 2 : 15) +
                 (i % 7 == 0 ? " — Café \"Noël\" 5'6\"." : ".");
  }
  auto run = [&] {
    double f1 = 0;
    for (size_t i = 0; i < n; ++i)
      f1 += set_precision_recall_f1(ascii_word_set(golds[i]), ascii_word_set(answers[i])).f1;
    return f1 / static_cast<double>(n);
  };
  const double mean_f1 = run();
  require(in_unit(mean_f1) && mean_f1 > 0, "word-set F1 out of range");
  for (auto _ : state) benchmark::DoNotOptimize(run());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  state.counters["mean_f1"] = mean_f1;
}
BENCHMARK(BM_MetricWordSet)->Arg(kN)->Unit(benchmark::kMillisecond);

// Judged items with a verbal certainty 1–100 (so confidences tie, as real ones do) that is
// informative: higher certainty, more often right.
std::vector<ConfidentOutcome> confident_outcomes(size_t n) {
  TextGen g(6);
  std::vector<ConfidentOutcome> out(n);
  for (auto& o : out) {
    const int certainty = 40 + 10 * static_cast<int>(g.below(7)) - static_cast<int>(g.below(3));
    o.confidence = certainty / 100.0;
    o.correct = g.uniform() < 0.3 + 0.6 * o.confidence;
  }
  return out;
}

void BM_MetricSelectiveCalibration(benchmark::State& state) {
  const auto items = confident_outcomes(static_cast<size_t>(state.range(0)));
  const auto curve = risk_coverage_curve(items);
  const double aurc = area_under_risk_coverage(curve);
  const auto roc = auroc(items);
  const double ece = expected_calibration_error(items);
  require(in_unit(aurc) && roc && in_unit(*roc) && *roc > 0.5 && in_unit(ece),
          "selective/calibration metrics out of range");
  for (auto _ : state) {
    const auto c = risk_coverage_curve(items);
    benchmark::DoNotOptimize(area_under_risk_coverage(c));
    benchmark::DoNotOptimize(area_under_coverage_accuracy(c));
    benchmark::DoNotOptimize(auroc(items));
    benchmark::DoNotOptimize(expected_calibration_error(items));
    benchmark::DoNotOptimize(brier_score(items));
    benchmark::DoNotOptimize(selective_at(items, 0.8));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(items.size()));
  state.counters["aurc"] = aurc;
  state.counters["auroc"] = *roc;
  state.counters["ece"] = ece;
}
BENCHMARK(BM_MetricSelectiveCalibration)->Arg(kN)->Unit(benchmark::kMillisecond);

void BM_MetricJudgeAgreement(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  TextGen g(7);
  static const char* const kLabels[] = {"A", "B", "tie"};
  std::vector<std::string> judge(n), gold(n);
  std::vector<std::vector<std::string>> draws(n);
  for (size_t i = 0; i < n; ++i) {
    gold[i] = kLabels[g.below(3)];
    judge[i] = g.below(4) ? gold[i] : kLabels[g.below(3)];
    for (int d = 0; d < 3; ++d) draws[i].push_back(g.below(5) ? judge[i] : g.below(2) ? "" : kLabels[g.below(3)]);
  }
  const auto kappa = cohen_kappa(judge, gold);
  require(kappa && std::isfinite(*kappa) && *kappa > 0.3 && *kappa <= 1.0, "Cohen's kappa out of range");
  for (auto _ : state) {
    benchmark::DoNotOptimize(cohen_kappa(judge, gold));
    double share = 0;
    for (const auto& d : draws) share += draw_agreement(d).share;
    benchmark::DoNotOptimize(share);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  state.counters["kappa"] = *kappa;
}
BENCHMARK(BM_MetricJudgeAgreement)->Arg(kN)->Unit(benchmark::kMillisecond);

void BM_MetricJudgeMeanInterval(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  TextGen g(8);
  std::vector<std::vector<double>> draws(n);
  for (auto& d : draws)
    for (int k = 0; k < 3; ++k) d.push_back(static_cast<double>(1 + g.below(5)));
  const auto interval = judge_mean_interval(draws, 42);
  require(std::isfinite(interval.mean) && interval.low <= interval.mean && interval.mean <= interval.high &&
              interval.n_items == static_cast<int64_t>(n),
          "judge mean interval out of range");
  for (auto _ : state) benchmark::DoNotOptimize(judge_mean_interval(draws, 42));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  state.counters["mean"] = interval.mean;
}
BENCHMARK(BM_MetricJudgeMeanInterval)->Arg(kN)->Unit(benchmark::kMillisecond);

// Per-sample 0/1 scores of two runs on the same samples: B is right a little more often.
void paired_binary(size_t n, std::vector<double>& a, std::vector<double>& b) {
  TextGen g(9);
  a.resize(n);
  b.resize(n);
  for (size_t i = 0; i < n; ++i) {
    a[i] = g.below(100) < 60 ? 1.0 : 0.0;
    b[i] = g.below(100) < 85 ? a[i] : (g.below(100) < 60 ? 1.0 : 0.0);
  }
}

void BM_StatsPairedBootstrap(benchmark::State& state) {
  std::vector<double> a, b;
  paired_binary(static_cast<size_t>(state.range(0)), a, b);
  const auto r = paired_bootstrap_difference(a, b, 7);
  require(std::isfinite(r.mean_difference) && std::isfinite(r.p_value) &&
              r.interval.low <= r.mean_difference && r.mean_difference <= r.interval.high,
          "paired bootstrap out of range");
  for (auto _ : state) benchmark::DoNotOptimize(paired_bootstrap_difference(a, b, 7));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(a.size()));
  state.counters["p_value"] = r.p_value;
}
BENCHMARK(BM_StatsPairedBootstrap)->Arg(kN)->Unit(benchmark::kMillisecond);

void BM_StatsMcNemar(benchmark::State& state) {
  std::vector<double> a, b;
  paired_binary(static_cast<size_t>(state.range(0)), a, b);
  const auto flips = count_paired_flips(a, b);
  const double p = mcnemar_exact_p_value(flips.worsened, flips.improved);
  require(in_unit(p) && flips.improved + flips.worsened > 0, "McNemar p-value out of range");
  for (auto _ : state) {
    const auto f = count_paired_flips(a, b);
    benchmark::DoNotOptimize(mcnemar_exact_p_value(f.worsened, f.improved));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(a.size()));
  state.counters["p_value"] = p;
}
BENCHMARK(BM_StatsMcNemar)->Arg(kN)->Unit(benchmark::kMicrosecond);

void BM_StatsSignFlip(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  TextGen g(10);
  std::vector<double> a(n), b(n);  // ROUGE-like continuous scores
  for (size_t i = 0; i < n; ++i) {
    a[i] = g.uniform() * 0.6;
    b[i] = std::min(1.0, a[i] + (g.uniform() - 0.45) * 0.1);
  }
  const auto t = sign_flip_permutation_test(a, b, 11);
  require(in_unit(t.p_value) && !t.exact, "sign-flip test out of range");
  for (auto _ : state) benchmark::DoNotOptimize(sign_flip_permutation_test(a, b, 11));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  state.counters["p_value"] = t.p_value;
}
BENCHMARK(BM_StatsSignFlip)->Arg(kN)->Unit(benchmark::kMillisecond);

void BM_StatsBootstrapIntervals(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  TextGen g(12);
  std::vector<std::vector<double>> columns(4, std::vector<double>(n));
  for (auto& c : columns)
    for (auto& v : c) v = g.uniform();
  std::vector<std::function<double(std::span<const size_t>)>> statistics;
  for (const auto& c : columns)
    statistics.push_back([&c](std::span<const size_t> idx) {
      double s = 0;
      for (size_t i : idx) s += c[i];
      return idx.empty() ? 0.0 : s / static_cast<double>(idx.size());
    });
  const auto intervals = bootstrap_intervals(n, statistics, 5);
  require(intervals.size() == 4 && in_unit(intervals[0].low) && in_unit(intervals[0].high) &&
              intervals[0].low < intervals[0].high,
          "bootstrap intervals out of range");
  for (auto _ : state) benchmark::DoNotOptimize(bootstrap_intervals(n, statistics, 5));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  state.counters["width"] = intervals[0].high - intervals[0].low;
}
BENCHMARK(BM_StatsBootstrapIntervals)->Arg(kN)->Unit(benchmark::kMillisecond);

void BM_StatsClusterBootstrap(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  TextGen g(13);
  std::vector<double> values(n);
  std::vector<std::string> users(n);
  for (size_t i = 0; i < n; ++i) {
    values[i] = g.below(10) < 7 ? 1.0 : 0.0;
    users[i] = "user-" + std::to_string(g.below(n / 10));  // ~10 samples per user
  }
  const auto interval = cluster_bootstrap_mean_interval(values, users, 3);
  require(in_unit(interval.low) && in_unit(interval.high) && interval.low < interval.high,
          "cluster bootstrap out of range");
  for (auto _ : state) benchmark::DoNotOptimize(cluster_bootstrap_mean_interval(values, users, 3));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  state.counters["width"] = interval.high - interval.low;
}
BENCHMARK(BM_StatsClusterBootstrap)->Arg(kN)->Unit(benchmark::kMillisecond);

}  // namespace
