#include "tasks/lamp/lamp_scoring.h"

#include <cmath>
#include <functional>
#include <limits>

#include "metrics/classification.h"
#include "metrics/python_text.h"
#include "metrics/regression.h"
#include "metrics/rouge.h"
#include "metrics/stats.h"
#include "tasks/lamp/lamp_answer.h"

namespace perseval::lamp {

namespace {

constexpr int kResamples = 1000;

double rating_gold(std::string_view gold) {
  auto value = official_rating(gold);
  return value ? *value : std::numeric_limits<double>::quiet_NaN();
}

double as_float32(double value) { return static_cast<double>(static_cast<float>(value)); }

}  // namespace

Scores score_prediction(const Variant& variant, std::string_view prediction,
                        std::string_view gold) {
  Scores s;
  s.parsed_answer = metrics::python_strip(prediction);
  switch (variant.kind) {
    case OutputKind::label: {
      const int gold_id = official_label_id(variant, gold);
      const int pred_id = official_label_id(variant, prediction);
      const int lenient_id = lenient_label_id(variant, prediction);
      s.values["gold_id"] = gold_id;
      s.values["pred_id"] = pred_id;
      s.values["pred_id_lenient"] = lenient_id;
      // sklearn compares ids, so equal ids count as correct even for an off-list gold.
      s.values["correct"] = pred_id == gold_id ? 1.0 : 0.0;
      s.values["correct_lenient"] = lenient_id == gold_id ? 1.0 : 0.0;
      break;
    }
    case OutputKind::rating: {
      const double g = rating_gold(gold);
      const auto official = official_rating(prediction);
      const double extreme = metrics::farthest_extreme(g, 1.0, 5.0);
      const double parsed = official ? *official : extreme;
      // HF evaluate's mae/mse declare their inputs as datasets.Value("float"), which is
      // float32: the official scorer sees every rating rounded to float32 ("3.7" becomes
      // 3.7000000476837158, "1e39" becomes inf) before sklearn averages in float64. Rounding
      // the same way keeps MAE/RMSE equal to the official numbers to 1e-9.
      const double pred = as_float32(parsed);
      const auto lenient = lenient_rating(prediction);
      s.values["gold"] = as_float32(g);
      s.values["pred"] = pred;
      s.values["pred_unrounded"] = parsed;
      s.values["unparseable"] = official ? 0.0 : 1.0;
      s.values["pred_lenient"] = lenient ? *lenient : extreme;
      s.values["abs_error"] = std::fabs(pred - as_float32(g));
      break;
    }
    case OutputKind::text: {
      const auto ref = metrics::rouge_tokenize(metrics::python_strip(gold));
      const auto hyp = metrics::rouge_tokenize(s.parsed_answer);
      s.values["rouge-1"] = metrics::rouge_n(ref, hyp, 1).fmeasure;
      s.values["rouge-L"] = metrics::rouge_l(ref, hyp).fmeasure;
      break;
    }
  }
  return s;
}

std::vector<std::string> metric_names(const Variant& variant) {
  switch (variant.kind) {
    case OutputKind::label:
      return {"accuracy", "f1", "accuracy_lenient", "f1_lenient", "f1_present_labels",
              "n_errors"};
    case OutputKind::rating:
      return {"MAE", "RMSE", "n_unparseable", "n_nonfinite", "mae_lenient", "rmse_lenient",
              "n_errors"};
    case OutputKind::text:
      return {"rouge-1", "rouge-L", "rouge-1_bootstrap_median", "rouge-L_bootstrap_median",
              "n_errors"};
  }
  return {};
}

std::string primary_metric(const Variant& variant) {
  switch (variant.kind) {
    case OutputKind::label: return "accuracy";
    case OutputKind::rating: return "MAE";
    case OutputKind::text: return "rouge-1";
  }
  return "";
}

bool primary_higher_is_better(const Variant& variant) {
  return variant.kind != OutputKind::rating;
}

namespace {

using Statistic = std::function<double(std::span<const size_t>)>;

// Collected per-sample columns; `rows` counts the samples that had every key.
struct Columns {
  std::vector<std::vector<double>> cols;
  size_t rows = 0;
};

Columns collect(std::span<const std::map<std::string, double>* const> values,
                const std::vector<std::string>& keys) {
  Columns c;
  c.cols.resize(keys.size());
  for (const auto* row : values) {
    if (!row) continue;
    bool complete = true;
    for (const auto& key : keys) complete = complete && row->count(key) > 0;
    if (!complete) continue;
    for (size_t i = 0; i < keys.size(); ++i) c.cols[i].push_back(row->at(keys[i]));
    ++c.rows;
  }
  return c;
}

// Applies each named statistic to every index (the full sample) and adds n and its
// bootstrap CI. All statistics share the resamples of one seed, which gives exactly the
// intervals of one bootstrap per metric with that seed, at a fraction of the cost.
std::vector<MetricValue> rate_metrics(const std::vector<std::pair<std::string, Statistic>>& named,
                                      size_t n, uint64_t seed) {
  std::vector<size_t> all(n);
  for (size_t i = 0; i < n; ++i) all[i] = i;
  std::vector<Statistic> statistics;
  for (const auto& [name, statistic] : named) statistics.push_back(statistic);
  std::vector<metrics::Interval> cis(named.size());
  if (n > 0) cis = metrics::bootstrap_intervals(n, statistics, seed, kResamples);
  std::vector<MetricValue> out;
  for (size_t i = 0; i < named.size(); ++i) {
    MetricValue m{named[i].first, statistics[i](all), static_cast<int64_t>(n), std::nullopt, std::nullopt};
    if (n > 0 && std::isfinite(m.value) && std::isfinite(cis[i].low) && std::isfinite(cis[i].high)) {
      m.ci_low = cis[i].low;
      m.ci_high = cis[i].high;
    }
    out.push_back(std::move(m));
  }
  return out;
}

MetricValue count_metric(const std::string& name, double value, size_t n) {
  return MetricValue{name, value, static_cast<int64_t>(n), std::nullopt, std::nullopt};
}

std::vector<double> pick(const std::vector<double>& col, std::span<const size_t> idx) {
  std::vector<double> out;
  out.reserve(idx.size());
  for (size_t i : idx) out.push_back(col[i]);
  return out;
}

// The class ids of a column, once, so that bootstrap statistics only gather.
std::vector<int> to_ids(const std::vector<double>& col) {
  std::vector<int> out(col.size());
  for (size_t i = 0; i < col.size(); ++i) out[i] = static_cast<int>(col[i]);
  return out;
}

// Applies `metric` to the (gold, pred) pairs at `idx`, gathered into this thread's buffers
// (a bootstrap calls each statistic thousands of times; thread_local keeps concurrent
// aggregations of different runs apart).
template <typename Metric>
double on_pairs(const std::vector<int>& golds, const std::vector<int>& preds,
                std::span<const size_t> idx, const Metric& metric) {
  thread_local std::vector<int> g, p;
  g.resize(idx.size());
  p.resize(idx.size());
  for (size_t i = 0; i < idx.size(); ++i) {
    g[i] = golds[idx[i]];
    p[i] = preds[idx[i]];
  }
  return metric(std::span<const int>(g), std::span<const int>(p));
}

// The confusion-table cell of every pair, or empty when an id is out of range (then the
// statistics gather the pairs instead).
std::vector<int> cells_of(const metrics::Confusion& shape, const std::vector<int>& golds,
                          const std::vector<int>& preds) {
  std::vector<int> cells(golds.size());
  for (size_t i = 0; i < golds.size(); ++i) {
    cells[i] = shape.cell_of(golds[i], preds[i]);
    if (cells[i] < 0) return {};
  }
  return cells;
}

std::vector<MetricValue> aggregate_labels(const Variant& variant, const Columns& c,
                                          uint64_t seed) {
  const std::vector<int> gold = to_ids(c.cols[0]);
  const std::vector<int> pred = to_ids(c.cols[1]);
  const std::vector<int> lenient = to_ids(c.cols[2]);
  const int n_labels = static_cast<int>(variant.labels.size());
  const size_t n = c.rows;
  using TableMetric = double (*)(const metrics::Confusion&);
  using PairMetric = double (*)(std::span<const int>, std::span<const int>, int);
  const PairMetric accuracy = [](std::span<const int> g, std::span<const int> p, int) { return metrics::accuracy(g, p); };
  const PairMetric f1 = [](std::span<const int> g, std::span<const int> p, int labels) {
    return metrics::macro_f1(g, p, labels);
  };
  const PairMetric present = [](std::span<const int> g, std::span<const int> p, int labels) {
    return metrics::macro_f1_present_labels(g, p, labels);
  };
  // A resample's statistic: count its pairs into a confusion table (identical values, one
  // increment per pair), or gather the pairs when some id is out of range.
  const metrics::Confusion shape(n_labels);
  const std::vector<int> cells = cells_of(shape, gold, pred);
  const std::vector<int> cells_lenient = cells_of(shape, gold, lenient);
  const auto stat = [n_labels](const std::vector<int>& g, const std::vector<int>& p, const std::vector<int>& table_cells,
                               TableMetric on_table, PairMetric on_pairs_metric) -> Statistic {
    if (!table_cells.empty())
      return [&table_cells, n_labels, on_table](std::span<const size_t> idx) {
        metrics::Confusion table(n_labels);
        for (const size_t i : idx) table.add_cell(table_cells[i]);
        return on_table(table);
      };
    return [&g, &p, n_labels, on_pairs_metric](std::span<const size_t> idx) {
      return on_pairs(g, p, idx, [&](std::span<const int> gs, std::span<const int> ps) {
        return on_pairs_metric(gs, ps, n_labels);
      });
    };
  };
  const TableMetric table_accuracy = [](const metrics::Confusion& t) { return metrics::accuracy(t); };
  const TableMetric table_f1 = [](const metrics::Confusion& t) { return metrics::macro_f1(t); };
  const TableMetric table_present = [](const metrics::Confusion& t) { return metrics::macro_f1_present_labels(t); };
  return rate_metrics({{"accuracy", stat(gold, pred, cells, table_accuracy, accuracy)},
                       {"f1", stat(gold, pred, cells, table_f1, f1)},
                       {"accuracy_lenient", stat(gold, lenient, cells_lenient, table_accuracy, accuracy)},
                       {"f1_lenient", stat(gold, lenient, cells_lenient, table_f1, f1)},
                       {"f1_present_labels", stat(gold, pred, cells, table_present, present)}},
                      n, seed);
}

std::vector<MetricValue> aggregate_ratings(const Columns& c, uint64_t seed) {
  const auto& gold = c.cols[0];
  const auto& pred = c.cols[1];
  const auto& unparseable = c.cols[2];
  const auto& lenient = c.cols[3];
  const size_t n = c.rows;
  auto mae = [](const std::vector<double>& g, const std::vector<double>& p) {
    return [&g, &p](std::span<const size_t> idx) {
      return metrics::mean_absolute_error(pick(g, idx), pick(p, idx));
    };
  };
  auto rmse = [](const std::vector<double>& g, const std::vector<double>& p) {
    return [&g, &p](std::span<const size_t> idx) {
      return metrics::root_mean_squared_error(pick(g, idx), pick(p, idx));
    };
  };
  double n_unparseable = 0;
  double n_nonfinite = 0;
  for (size_t i = 0; i < n; ++i) {
    n_unparseable += unparseable[i];
    if (!std::isfinite(pred[i])) n_nonfinite += 1;
  }
  auto rates = rate_metrics({{"MAE", mae(gold, pred)},
                             {"RMSE", rmse(gold, pred)},
                             {"mae_lenient", mae(gold, lenient)},
                             {"rmse_lenient", rmse(gold, lenient)}},
                            n, seed);
  return {rates[0], rates[1], count_metric("n_unparseable", n_unparseable, n),
          count_metric("n_nonfinite", n_nonfinite, n), rates[2], rates[3]};
}

std::vector<MetricValue> aggregate_rouge(const Columns& c, uint64_t seed) {
  const size_t n = c.rows;
  auto mean_of = [](const std::vector<double>& col) {
    return [&col](std::span<const size_t> idx) { return metrics::mean(pick(col, idx)); };
  };
  auto rates = rate_metrics({{"rouge-1", mean_of(c.cols[0])}, {"rouge-L", mean_of(c.cols[1])}}, n, seed);
  return {rates[0], rates[1],
          count_metric("rouge-1_bootstrap_median",
                       metrics::bootstrap_median(c.cols[0], seed, kResamples), n),
          count_metric("rouge-L_bootstrap_median",
                       metrics::bootstrap_median(c.cols[1], seed, kResamples), n)};
}

std::vector<std::string> needed_keys(OutputKind kind) {
  switch (kind) {
    case OutputKind::label: return {"gold_id", "pred_id", "pred_id_lenient"};
    case OutputKind::rating: return {"gold", "pred", "unparseable", "pred_lenient"};
    case OutputKind::text: return {"rouge-1", "rouge-L"};
  }
  return {};
}

}  // namespace

std::vector<MetricValue> aggregate_scores(
    const Variant& variant, std::span<const std::map<std::string, double>* const> values,
    int64_t n_errors, uint64_t seed) {
  const Columns c = collect(values, needed_keys(variant.kind));
  if (c.rows == 0) return {};
  std::vector<MetricValue> out;
  switch (variant.kind) {
    case OutputKind::label: out = aggregate_labels(variant, c, seed); break;
    case OutputKind::rating: out = aggregate_ratings(c, seed); break;
    case OutputKind::text: out = aggregate_rouge(c, seed); break;
  }
  out.push_back(count_metric("n_errors", static_cast<double>(n_errors), c.rows));
  return out;
}

std::optional<double> sample_metric_value(const Variant& variant, const std::string& metric,
                                          const std::map<std::string, double>& values) {
  for (const auto& key : needed_keys(variant.kind))
    if (!values.count(key)) return std::nullopt;  // aggregate_scores skips this sample
  const auto at = [&values](const char* key) { return values.at(key); };
  switch (variant.kind) {
    case OutputKind::label:
      if (metric == "accuracy") return at("gold_id") == at("pred_id") ? 1.0 : 0.0;
      if (metric == "accuracy_lenient") return at("gold_id") == at("pred_id_lenient") ? 1.0 : 0.0;
      break;
    case OutputKind::rating:
      // Exactly mean_absolute_error's per-item term (the ratings are stored float32-rounded).
      if (metric == "MAE") return std::abs(at("pred") - at("gold"));
      if (metric == "mae_lenient") return std::abs(at("pred_lenient") - at("gold"));
      break;
    case OutputKind::text:
      if (metric == "rouge-1" || metric == "rouge-L") return values.at(metric);
      break;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, double>> official_metrics(
    const Variant& variant, std::span<const std::string> golds,
    std::span<const std::string> predictions) {
  std::vector<Scores> scored;
  scored.reserve(golds.size());
  for (size_t i = 0; i < golds.size() && i < predictions.size(); ++i)
    scored.push_back(score_prediction(variant, predictions[i], golds[i]));
  std::vector<const std::map<std::string, double>*> rows;
  for (const auto& s : scored) rows.push_back(&s.values);
  const Columns c = collect(rows, needed_keys(variant.kind));
  switch (variant.kind) {
    case OutputKind::label: {
      const auto g = to_ids(c.cols[0]);
      const auto p = to_ids(c.cols[1]);
      return {{"accuracy", metrics::accuracy(g, p)},
              {"f1", metrics::macro_f1(g, p, static_cast<int>(variant.labels.size()))}};
    }
    case OutputKind::rating:
      return {{"MAE", metrics::mean_absolute_error(c.cols[0], c.cols[1])},
              {"RMSE", metrics::root_mean_squared_error(c.cols[0], c.cols[1])}};
    case OutputKind::text:
      return {{"rouge-1", metrics::mean(c.cols[0])}, {"rouge-L", metrics::mean(c.cols[1])}};
  }
  return {};
}

}  // namespace perseval::lamp
