// `perseval score`: LaMP's eval_task.py checks and keys (lamp.md §5).
#include <catch2/catch.hpp>

#include "harness/core/errors.h"
#include "tasks/lamp/lamp_official_scorer.h"
#include "tests/tasks/lamp_test_support.h"

using namespace perseval;
using namespace perseval::lamp;
using perseval::lamp_test::TempDir;

namespace {

std::string outputs(const std::string& task, const std::string& golds) {
  return R"({"task": ")" + task + R"(", "golds": [)" + golds + "]}";
}

std::string score_error(const std::string& variant, const std::string& golds,
                        const std::string& preds) {
  try {
    score_official_files(variant, golds, preds);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("Official scorer: classification keys and values", "[lamp][official]") {
  TempDir dir;
  const auto golds = dir.write("g.json", outputs("LaMP_2", R"({"id": "a", "output": "comedy"},
      {"id": "b", "output": "sci-fi"}, {"id": "c", "output": "romance"})"));
  // Duplicate id "b": the last prediction wins, as in upstream's dict.
  const auto preds = dir.write("p.json", outputs("LaMP_2", R"({"id": "c", "output": "romance"},
      {"id": "b", "output": "comedy"}, {"id": "a", "output": "comedy"},
      {"id": "b", "output": "sci-fi"})"));
  const auto m = score_official_files("lamp-2", golds, preds);
  REQUIRE(m.size() == 2);
  CHECK(m[0] == std::pair<std::string, double>{"accuracy", 1.0});
  CHECK(m[1].first == "f1");
  CHECK(m[1].second == Approx(3.0 / 15.0));
  // The same predictions scored with the news labels: nothing is a label.
  const auto news_golds = dir.write("gn.json", outputs("LaMP_2", R"({"id": "a", "output": "sports"})"));
  const auto news_preds = dir.write("pn.json", outputs("LaMP_2", R"({"id": "a", "output": "comedy"})"));
  CHECK(score_official_files("lamp-2-news", news_golds, news_preds)[0].second == 0.0);
}

TEST_CASE("Official scorer: rating and generation keys", "[lamp][official]") {
  TempDir dir;
  const auto g3 = dir.write("g3.json", outputs("LaMP_3", R"({"id": "a", "output": "4"},
      {"id": "b", "output": "3"})"));
  const auto p3 = dir.write("p3.json", outputs("LaMP_3", R"({"id": "a", "output": "Rating: 4"},
      {"id": "b", "output": 3})"));
  const auto m3 = score_official_files("lamp-3", g3, p3);
  REQUIRE(m3.size() == 2);
  CHECK(m3[0].first == "MAE");
  CHECK(m3[0].second == Approx(1.5));  // |1 - 4| and |3 - 3|
  CHECK(m3[1].first == "RMSE");
  CHECK(m3[1].second == Approx(std::sqrt(4.5)));

  const auto g4 = dir.write("g4.json", outputs("LaMP_4", R"({"id": "a", "output": "a b"})"));
  const auto p4 = dir.write("p4.json", outputs("LaMP_4", R"({"id": "a", "output": " a b "})"));
  const auto m4 = score_official_files("lamp-4", g4, p4);
  REQUIRE(m4.size() == 2);
  CHECK(m4[0] == std::pair<std::string, double>{"rouge-1", 1.0});
  CHECK(m4[1] == std::pair<std::string, double>{"rouge-L", 1.0});
}

TEST_CASE("Official scorer: task mismatch and id-set checks", "[lamp][official]") {
  TempDir dir;
  const auto golds = dir.write("g.json", outputs("LaMP_1", R"({"id": "a", "output": "[1]"},
      {"id": "b", "output": "[2]"}, {"id": "c", "output": "[1]"})"));
  const auto wrong_task = dir.write("w.json", outputs("LaMP_3", R"({"id": "a", "output": "[1]"})"));
  CHECK(score_error("lamp-1", golds, wrong_task) ==
        wrong_task + ": wrong task: expected \"LaMP_1\", found \"LaMP_3\"");
  CHECK_THAT(score_error("lamp-3", golds, wrong_task),
             Catch::StartsWith(golds + ": wrong task: expected \"LaMP_3\""));

  const auto partial = dir.write("p.json", outputs("LaMP_1", R"({"id": "a", "output": "[1]"},
      {"id": "x", "output": "[1]"}, {"id": "y", "output": "[2]"})"));
  const auto error = score_error("lamp-1", golds, partial);
  CHECK(error.find('\n') == std::string::npos);
  CHECK_THAT(error, Catch::StartsWith(partial + ": prediction ids do not match"));
  CHECK_THAT(error, Catch::Contains("2 missing (b, c)"));
  CHECK_THAT(error, Catch::Contains("2 extra (x, y)"));

  std::string many;
  for (int i = 0; i < 12; ++i)
    many += (i ? "," : "") + std::string(R"({"id": "m)") + std::to_string(i) + R"(", "output": "[1]"})";
  const auto extra = dir.write("e.json", outputs("LaMP_1", many));
  CHECK_THAT(score_error("lamp-1", golds, extra), Catch::Contains("12 extra (m0, m1, m10, m11, m2"));
  CHECK_THAT(score_error("lamp-1", golds, extra), Catch::Contains("m6, m7, ...)"));

  CHECK_THAT(score_error("lamp-9", golds, golds), Catch::Contains("unknown LaMP task 'lamp-9'"));
  const auto bad = dir.write("bad.json", "{\"task\": ");
  CHECK_THAT(score_error("lamp-1", golds, bad), Catch::StartsWith(bad + ": invalid JSON at byte"));
}
