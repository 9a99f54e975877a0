// The statistics of a comparison: pairing samples, per-metric paired tests, Holm, the gate.
#include "reports/compare.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <unordered_map>

#include "harness/core/hash.h"
#include "harness/runner/aggregate.h"
#include "metrics/multiple_testing.h"
#include "metrics/paired_stats.h"
#include "metrics/power.h"
#include "reports/html_escape.h"
#include "tasks/registry.h"

namespace perseval {
namespace {

constexpr double kPower = 0.8;

// One sample both runs answered without error, with its outputs.
struct PairedSample {
  const ScoredSample* a;
  const ScoredSample* b;
};

// The per-sample values of one metric over the paired samples where both sides have one.
struct PairedValues {
  std::vector<double> a, b;
  std::vector<const PairedSample*> samples;
};

PairedValues values_of(const Task& task, const std::string& metric,
                       const std::vector<PairedSample>& paired) {
  PairedValues out;
  for (const auto& p : paired) {
    const auto va = task.sample_metric(metric, *p.a);
    const auto vb = task.sample_metric(metric, *p.b);
    if (!va || !vb) continue;
    out.a.push_back(*va);
    out.b.push_back(*vb);
    out.samples.push_back(&p);
  }
  return out;
}

bool all_binary(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return x == 0.0 || x == 1.0; });
}

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

// Fills the paired fields of `m` from the per-sample values.
void paired_test(MetricComparison& m, const PairedValues& v, uint64_t seed, const CompareOptions& o) {
  const auto n = static_cast<int64_t>(v.a.size());
  m.n = n;
  const auto boot = metrics::paired_bootstrap_difference(v.a, v.b, seed, o.resamples);
  m.diff = boot.mean_difference;
  m.ci_low = boot.interval.low;
  m.ci_high = boot.interval.high;
  m.p_bootstrap = boot.p_value;
  const auto flips = metrics::count_paired_flips(v.a, v.b);
  m.improved = m.higher_is_better ? flips.improved : flips.worsened;
  m.worsened = m.higher_is_better ? flips.worsened : flips.improved;
  m.unchanged = flips.unchanged;
  if (all_binary(v.a) && all_binary(v.b)) {
    // Raw discordant counts: "worsened" in B - A terms means A right, B wrong.
    m.p = metrics::mcnemar_exact_p_value(flips.worsened, flips.improved);
    m.test = "mcnemar_exact";
    const double discordant = static_cast<double>(flips.improved + flips.worsened) / static_cast<double>(n);
    if (discordant > 0) m.mde = metrics::minimum_detectable_effect_paired_binary(n, discordant, o.alpha, kPower);
  } else {
    const auto sign_flip = metrics::sign_flip_permutation_test(v.a, v.b, seed);
    m.p = sign_flip.p_value;
    m.test = sign_flip.exact ? "sign_flip_exact" : "sign_flip_monte_carlo";
    double sum = 0, squares = 0;
    for (int64_t i = 0; i < n; ++i) sum += v.b[i] - v.a[i];
    const double mean = sum / static_cast<double>(n);
    for (int64_t i = 0; i < n; ++i) squares += (v.b[i] - v.a[i] - mean) * (v.b[i] - v.a[i] - mean);
    const double sd = n > 1 ? std::sqrt(squares / static_cast<double>(n - 1)) : 0.0;
    if (sd > 0) m.mde = metrics::minimum_detectable_effect(n, sd, o.alpha, kPower);
  }
}

FlipExample example_of(const PairedSample& p, double va, double vb, size_t max_chars) {
  return {p.a->sample_id, va, vb, report::truncate_text(p.a->output, max_chars).text,
          report::truncate_text(p.b->output, max_chars).text};
}

// The samples whose value moved most in each direction, biggest first, ties in A's order.
void pick_examples(TaskComparison& t, const PairedValues& v, bool higher_is_better, const CompareOptions& o) {
  std::vector<size_t> order(v.a.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto moved = [&v](size_t i) { return v.b[i] - v.a[i]; };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return std::fabs(moved(x)) > std::fabs(moved(y)); });
  for (const size_t i : order) {
    const double d = moved(i);
    if (!(std::fabs(d) > 1e-12)) continue;
    auto& into = (d > 0) == higher_is_better ? t.improved_examples : t.worsened_examples;
    if (into.size() < o.max_flips) into.push_back(example_of(*v.samples[i], v.a[i], v.b[i], o.max_output_chars));
  }
}

std::map<std::string, MetricValue> whole_run_metrics(Store& store, const std::string& run_id,
                                                     std::vector<std::string>* order) {
  std::map<std::string, MetricValue> out;
  for (auto& m : store.read_metrics(run_id)) {
    if (!m.slice_key.empty()) continue;
    if (order) order->push_back(m.metric.name);
    out[m.metric.name] = std::move(m.metric);
  }
  return out;
}

// --fail-if-worse: a task fails when its primary metric got worse by more than DELTA with
// Holm-adjusted p < alpha. What the gate cannot judge is said in a warning.
void apply_gate(Comparison& c) {
  const double delta = *c.options.fail_if_worse;
  for (const auto& t : c.tasks) {
    const std::string primary = t.run_a.notes.value("primary_metric", std::string());
    const auto it = std::find_if(t.metrics.begin(), t.metrics.end(), [](const auto& m) { return m.primary; });
    if (it == t.metrics.end()) {
      c.warnings.push_back(t.task + ": primary metric " + primary +
                           " is not stored for both runs; the gate cannot judge this task");
      continue;
    }
    if (!it->p_holm) {
      c.warnings.push_back(t.task + ": primary metric " + it->name + " has no paired test (" + it->note +
                           "); the gate cannot judge this task");
      continue;
    }
    const double worse_by = it->higher_is_better ? -it->diff : it->diff;
    if (worse_by > delta && *it->p_holm < c.options.alpha)
      c.gate_failures.push_back({t.task, it->name, worse_by, *it->p_holm});
  }
  c.failed_gate = !c.gate_failures.empty();
}

}  // namespace

TaskComparison compare_pair(Store& store, const RunRecord& a, const RunRecord& b,
                            const CompareOptions& options, std::vector<std::string>& warnings) {
  TaskComparison t;
  t.task = a.task;
  t.run_a = a;
  t.run_b = b;
  const auto rows_a = store.read_samples(a.run_id), rows_b = store.read_samples(b.run_id);
  const auto samples_a = to_scored_samples(rows_a), samples_b = to_scored_samples(rows_b);
  t.n_a = static_cast<int64_t>(samples_a.size());
  t.n_b = static_cast<int64_t>(samples_b.size());
  std::unordered_map<std::string, const ScoredSample*> by_id;
  for (const auto& s : samples_b) by_id[s.sample_id] = &s;
  std::vector<PairedSample> paired;
  int64_t in_both = 0;
  for (const auto& s : samples_a) {
    const auto it = by_id.find(s.sample_id);
    if (it == by_id.end()) continue;
    ++in_both;
    t.errored_a += s.failed;
    t.errored_b += it->second->failed;
    if (!s.failed && !it->second->failed) paired.push_back({&s, it->second});
  }
  t.n_paired = static_cast<int64_t>(paired.size());
  t.missing_in_b = t.n_a - in_both;
  t.missing_in_a = t.n_b - in_both;
  if (t.errored_b > t.errored_a)
    warnings.push_back(t.task + ": B's model call failed on " + std::to_string(t.errored_b) +
                       " samples (A: " + std::to_string(t.errored_a) +
                       "); failed samples are left out of the paired tests and the gate");

  std::unique_ptr<Task> task;
  try {
    task = make_task(Spec::parse(a.task));
  } catch (const std::exception& e) {
    warnings.push_back(t.task + ": task unknown to this binary, no paired tests (" + e.what() + ")");
  }
  const std::string primary = a.notes.value("primary_metric", std::string());
  const bool primary_higher = a.notes.value("higher_is_better", true);
  std::vector<std::string> order;
  const auto metrics_a = whole_run_metrics(store, a.run_id, &order);
  const auto metrics_b = whole_run_metrics(store, b.run_id, nullptr);
  for (const auto& name : order) {
    const auto it_b = metrics_b.find(name);
    if (it_b == metrics_b.end()) continue;
    MetricComparison m;
    m.name = name;
    m.primary = name == primary;
    m.higher_is_better = metric_higher_is_better(name, primary, primary_higher);
    m.a = metrics_a.at(name).value;
    m.b = it_b->second.value;
    m.diff = m.b - m.a;
    const PairedValues v = task ? values_of(*task, name, paired) : PairedValues{};
    if (!task) m.note = "no paired test: task unknown to this binary";
    else if (v.a.empty()) m.note = "no paired test: not a mean over samples";
    else if (!all_finite(v.a) || !all_finite(v.b)) m.note = "no paired test: non-finite per-sample values";
    else paired_test(m, v, mix64(a.seed ^ fnv1a64(a.task + "\n" + name)), options);
    t.metrics.push_back(std::move(m));
  }
  // Example flips for the primary metric, or the first tested one when it has no test.
  const MetricComparison* shown = nullptr;
  for (const auto& m : t.metrics) {
    if (m.test == "none") continue;
    if (!shown || m.primary) shown = &m;
    if (m.primary) break;
  }
  if (shown) {
    t.flips_metric = shown->name;
    pick_examples(t, values_of(*task, shown->name, paired), shown->higher_is_better, options);
  }
  return t;
}

Comparison compare(Store& store, const std::string& a, const std::string& b, const CompareOptions& options) {
  Comparison c;
  c.options = options;
  RunSelection selection = select_runs(store, a, b);
  c.a = selection.a;
  c.b = selection.b;
  c.unpaired = selection.unpaired;
  for (const auto& [run_a, run_b] : selection.pairs) check_comparable(run_a, run_b);
  for (const auto& [run_a, run_b] : selection.pairs) {
    for (auto& w : pair_warnings(run_a, run_b)) c.warnings.push_back(std::move(w));
    c.tasks.push_back(compare_pair(store, run_a, run_b, options, c.warnings));
  }

  // Holm over every test of the comparison (tasks x metrics).
  std::vector<MetricComparison*> tested;
  std::vector<double> p_values;
  for (auto& t : c.tasks)
    for (auto& m : t.metrics)
      if (m.p && std::isfinite(*m.p)) {
        tested.push_back(&m);
        p_values.push_back(*m.p);
      }
  const auto adjusted = metrics::holm_adjust(p_values);
  for (size_t i = 0; i < tested.size(); ++i) tested[i]->p_holm = adjusted[i];

  if (options.fail_if_worse) apply_gate(c);
  return c;
}

}  // namespace perseval
