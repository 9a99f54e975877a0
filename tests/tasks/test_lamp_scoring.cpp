// Per-sample scoring quirks of the official LaMP scorer (lamp.md §5, §11) and the
// aggregated metrics with their labelled lenient extras (§6).
#include <catch2/catch.hpp>

#include <cmath>

#include "tasks/lamp/lamp_answer.h"
#include "tasks/lamp/lamp_scoring.h"

using namespace perseval;
using namespace perseval::lamp;

namespace {

const Variant& V(const char* name) { return *find_variant(name); }

double value(const Scores& s, const char* key) { return s.values.at(key); }

const MetricValue& metric(const std::vector<MetricValue>& ms, const std::string& name) {
  for (const auto& m : ms)
    if (m.name == name) return m;
  FAIL("no metric " << name);
  return ms.front();
}

std::vector<MetricValue> aggregate(const Variant& v, const std::vector<Scores>& scores,
                                   int64_t n_errors = 0) {
  std::vector<const std::map<std::string, double>*> rows;
  for (const auto& s : scores) rows.push_back(&s.values);
  return aggregate_scores(v, rows, n_errors, 7);
}

}  // namespace

TEST_CASE("Official label mapping is exact after strip", "[lamp][scoring]") {
  const auto comedy = score_prediction(V("lamp-2"), "Comedy", "comedy");
  CHECK(value(comedy, "pred_id") == -1);
  CHECK(value(comedy, "correct") == 0);
  CHECK(value(comedy, "pred_id_lenient") == 2);  // case-insensitive match
  CHECK(value(comedy, "correct_lenient") == 1);
  CHECK(value(score_prediction(V("lamp-2"), "  comedy\n", "comedy"), "pred_id") == 2);
  // U+00A0 is stripped by str.strip(); U+200B is not.
  CHECK(value(score_prediction(V("lamp-2"), "\xC2\xA0" "comedy", "comedy"), "correct") == 1);
  CHECK(value(score_prediction(V("lamp-2"), "comedy\xE2\x80\x8B", "comedy"), "correct") == 0);

  const auto bracket = score_prediction(V("lamp-1"), "[1].", "[1]");
  CHECK(value(bracket, "pred_id") == -1);
  CHECK(value(bracket, "pred_id_lenient") == 0);
  CHECK(value(score_prediction(V("lamp-1"), "1", "[1]"), "pred_id") == -1);
  CHECK(value(score_prediction(V("lamp-1"), "Answer: 2", "[2]"), "correct_lenient") == 1);
  CHECK(bracket.parsed_answer == "[1].");
}

TEST_CASE("Lenient extraction: first line, Answer:, quotes, trailing period", "[lamp][scoring]") {
  CHECK(lenient_answer_text("Answer: \"sci-fi\".\nBecause robots.") == "sci-fi");
  CHECK(lenient_answer_text("  'true story'  ") == "true story");
  CHECK(lenient_answer_text("\xE2\x80\x9C" "romance" "\xE2\x80\x9D") == "romance");
  CHECK(lenient_label_id(V("lamp-2"), "DARK COMEDY.") == 6);
  CHECK(lenient_label_id(V("lamp-2-news"), "Food & Drink") == 0);
  CHECK(lenient_label_id(V("lamp-2"), "a comedy") == -1);
}

TEST_CASE("LaMP-3 unparseable ratings become the farthest extreme", "[lamp][scoring]") {
  const auto g4 = score_prediction(V("lamp-3"), "Rating: 4", "4");
  CHECK(value(g4, "pred") == 1.0);
  CHECK(value(g4, "unparseable") == 1);
  CHECK(value(g4, "abs_error") == 3.0);
  CHECK(value(g4, "pred_lenient") == 4.0);
  const auto g3 = score_prediction(V("lamp-3"), "Rating: 4", "3");
  CHECK(value(g3, "pred") == 5.0);
  CHECK(value(score_prediction(V("lamp-3"), "4_0", "4"), "pred") == 40.0);
  CHECK(value(score_prediction(V("lamp-3"), " 4.5 ", "4"), "pred") == 4.5);
  CHECK(value(score_prediction(V("lamp-3"), "7", "4"), "pred") == 7.0);  // no clipping
  CHECK(value(score_prediction(V("lamp-3"), "", "5"), "pred") == 1.0);
  CHECK(std::isnan(value(score_prediction(V("lamp-3"), "nan", "4"), "pred")));
  CHECK(value(score_prediction(V("lamp-3"), "10 out of 10, maybe 3", "1"), "pred_lenient") == 3.0);
  CHECK(value(score_prediction(V("lamp-3"), "ten", "1"), "pred_lenient") == 5.0);
}

TEST_CASE("ROUGE drops emoji and non-ASCII letters", "[lamp][scoring]") {
  const auto s = score_prediction(V("lamp-7"), "  I \xE2\x9D\xA4\xEF\xB8\x8F NYC!! ", "i love nyc");
  // Tokens: pred [i, nyc], ref [i, love, nyc]: P = 1, R = 2/3, F = 0.8.
  CHECK(value(s, "rouge-1") == Approx(0.8));
  CHECK(value(s, "rouge-L") == Approx(0.8));
  CHECK(s.parsed_answer == "I \xE2\x9D\xA4\xEF\xB8\x8F NYC!!");
  CHECK(value(score_prediction(V("lamp-4"), "", "a headline"), "rouge-1") == 0.0);
}

TEST_CASE("Macro-F1 runs over all 15 labels even when 3 are present", "[lamp][scoring]") {
  const auto& v = V("lamp-2");
  const std::vector<Scores> scores = {score_prediction(v, "comedy", "comedy"),
                                      score_prediction(v, "sci-fi", "comedy"),
                                      score_prediction(v, "sci-fi", "sci-fi"),
                                      score_prediction(v, "Comedy", "romance")};
  const auto ms = aggregate(v, scores, 1);
  // comedy: tp1 fn1 → 2/3; sci-fi: tp1 fp1 → 2/3; romance: 0; 12 absent labels: 0.
  CHECK(metric(ms, "accuracy").value == Approx(0.5));
  CHECK(metric(ms, "f1").value == Approx((4.0 / 3.0) / 15.0));
  CHECK(metric(ms, "f1_present_labels").value == Approx((4.0 / 3.0) / 3.0));
  CHECK(metric(ms, "accuracy").n == 4);
  CHECK(metric(ms, "accuracy").ci_low.has_value());
  CHECK(*metric(ms, "accuracy").ci_low <= 0.5);
  CHECK(*metric(ms, "accuracy").ci_high >= 0.5);
  CHECK(metric(ms, "n_errors").value == 1);
  std::vector<std::string> names;
  for (const auto& m : ms) names.push_back(m.name);
  CHECK(names == metric_names(v));
}

TEST_CASE("LaMP-3 aggregates: official MAE/RMSE, counts and lenient", "[lamp][scoring]") {
  const auto& v = V("lamp-3");
  const std::vector<Scores> scores = {score_prediction(v, "4", "4"),
                                      score_prediction(v, "Rating: 4", "4"),
                                      score_prediction(v, "2", "4")};
  const auto ms = aggregate(v, scores);
  CHECK(metric(ms, "MAE").value == Approx(5.0 / 3.0));  // 0, 3, 2
  CHECK(metric(ms, "RMSE").value == Approx(std::sqrt(13.0 / 3.0)));
  CHECK(metric(ms, "n_unparseable").value == 1);
  CHECK(metric(ms, "n_nonfinite").value == 0);
  CHECK(metric(ms, "mae_lenient").value == Approx(2.0 / 3.0));
  CHECK(primary_metric(v) == "MAE");
  CHECK_FALSE(primary_higher_is_better(v));

  const auto inf = aggregate(v, {score_prediction(v, "inf", "4"), score_prediction(v, "4", "4")});
  CHECK(std::isinf(metric(inf, "MAE").value));
  CHECK(metric(inf, "n_nonfinite").value == 1);
  CHECK_FALSE(metric(inf, "MAE").ci_low.has_value());
}

TEST_CASE("ROUGE aggregates are plain means plus seeded bootstrap medians", "[lamp][scoring]") {
  const auto& v = V("lamp-5");
  const std::vector<Scores> scores = {score_prediction(v, "a b c", "a b c"),
                                      score_prediction(v, "x", "a b c")};
  const auto ms = aggregate(v, scores);
  CHECK(metric(ms, "rouge-1").value == Approx(0.5));
  CHECK(metric(ms, "rouge-L").value == Approx(0.5));
  const double median = metric(ms, "rouge-1_bootstrap_median").value;
  CHECK(median >= 0.0);
  CHECK(median <= 1.0);
  CHECK(median == metric(aggregate(v, scores), "rouge-1_bootstrap_median").value);
}

TEST_CASE("Unscored samples are skipped, none left gives no metrics", "[lamp][scoring]") {
  const Scores unscored;
  CHECK(aggregate(V("lamp-4"), {unscored, unscored}).empty());
}

TEST_CASE("official_metrics has exactly upstream's keys", "[lamp][scoring]") {
  const std::vector<std::string> golds = {"[1]", "[2]"};
  const std::vector<std::string> preds = {"[1]", "[1]"};
  const auto m = official_metrics(V("lamp-1"), golds, preds);
  REQUIRE(m.size() == 2);
  CHECK(m[0].first == "accuracy");
  CHECK(m[0].second == Approx(0.5));
  CHECK(m[1].first == "f1");
  CHECK(m[1].second == Approx((2.0 / 3.0 + 0.0) / 2.0));
}

TEST_CASE("LaMP-3 ratings are rounded to float32 as HF evaluate's mae/mse see them",
          "[lamp][scoring]") {
  // Python: float(np.float32(3.7)) == 3.700000047683716; |that - 4| = 0.2999999523162842.
  const auto& v = V("lamp-3");
  const auto one = official_metrics(v, std::vector<std::string>{"4"}, std::vector<std::string>{"3.7"});
  CHECK(one[0].first == "MAE");
  CHECK(one[0].second == 4.0 - 3.700000047683716);
  CHECK(one[0].second != Approx(0.3).epsilon(1e-12));  // not the float64 difference
  CHECK(value(score_prediction(v, "3.7", "4"), "pred_unrounded") == 3.7);
  // 1e39 is finite in float64 but overflows float32, which the official path sees.
  CHECK(std::isinf(value(score_prediction(v, "1e39", "4"), "pred")));
}
