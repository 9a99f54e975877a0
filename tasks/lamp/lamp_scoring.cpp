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

// Applies `statistic` to every index (the full sample) and adds n and the bootstrap CI.
MetricValue rate_metric(const std::string& name, size_t n, const Statistic& statistic,
                        uint64_t seed) {
  std::vector<size_t> all(n);
  for (size_t i = 0; i < n; ++i) all[i] = i;
  MetricValue m{name, statistic(all), static_cast<int64_t>(n), std::nullopt, std::nullopt};
  if (n > 0 && std::isfinite(m.value)) {
    const auto ci = metrics::bootstrap_interval(n, statistic, seed, kResamples);
    if (std::isfinite(ci.low) && std::isfinite(ci.high)) {
      m.ci_low = ci.low;
      m.ci_high = ci.high;
    }
  }
  return m;
}

MetricValue count_metric(const std::string& name, double value, size_t n) {
  return MetricValue{name, value, static_cast<int64_t>(n), std::nullopt, std::nullopt};
}

std::vector<int> as_ids(const std::vector<double>& col, std::span<const size_t> idx) {
  std::vector<int> out;
  out.reserve(idx.size());
  for (size_t i : idx) out.push_back(static_cast<int>(col[i]));
  return out;
}

std::vector<double> pick(const std::vector<double>& col, std::span<const size_t> idx) {
  std::vector<double> out;
  out.reserve(idx.size());
  for (size_t i : idx) out.push_back(col[i]);
  return out;
}

std::vector<MetricValue> aggregate_labels(const Variant& variant, const Columns& c,
                                          uint64_t seed) {
  const auto& gold = c.cols[0];
  const auto& pred = c.cols[1];
  const auto& lenient = c.cols[2];
  const int n_labels = static_cast<int>(variant.labels.size());
  const size_t n = c.rows;
  auto acc = [](const std::vector<double>& g, const std::vector<double>& p) {
    return [&g, &p](std::span<const size_t> idx) {
      return metrics::accuracy(as_ids(g, idx), as_ids(p, idx));
    };
  };
  auto f1 = [n_labels](const std::vector<double>& g, const std::vector<double>& p) {
    return [&g, &p, n_labels](std::span<const size_t> idx) {
      return metrics::macro_f1(as_ids(g, idx), as_ids(p, idx), n_labels);
    };
  };
  const Statistic present = [&](std::span<const size_t> idx) {
    return metrics::macro_f1_present_labels(as_ids(gold, idx), as_ids(pred, idx), n_labels);
  };
  return {rate_metric("accuracy", n, acc(gold, pred), seed),
          rate_metric("f1", n, f1(gold, pred), seed),
          rate_metric("accuracy_lenient", n, acc(gold, lenient), seed),
          rate_metric("f1_lenient", n, f1(gold, lenient), seed),
          rate_metric("f1_present_labels", n, present, seed)};
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
  return {rate_metric("MAE", n, mae(gold, pred), seed),
          rate_metric("RMSE", n, rmse(gold, pred), seed),
          count_metric("n_unparseable", n_unparseable, n),
          count_metric("n_nonfinite", n_nonfinite, n),
          rate_metric("mae_lenient", n, mae(gold, lenient), seed),
          rate_metric("rmse_lenient", n, rmse(gold, lenient), seed)};
}

std::vector<MetricValue> aggregate_rouge(const Columns& c, uint64_t seed) {
  const size_t n = c.rows;
  auto mean_of = [](const std::vector<double>& col) {
    return [&col](std::span<const size_t> idx) { return metrics::mean(pick(col, idx)); };
  };
  return {rate_metric("rouge-1", n, mean_of(c.cols[0]), seed),
          rate_metric("rouge-L", n, mean_of(c.cols[1]), seed),
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
  std::vector<size_t> all(c.rows);
  for (size_t i = 0; i < c.rows; ++i) all[i] = i;
  switch (variant.kind) {
    case OutputKind::label: {
      const auto g = as_ids(c.cols[0], all);
      const auto p = as_ids(c.cols[1], all);
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
