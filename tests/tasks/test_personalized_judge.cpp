// Personalized-Judge: the recorded files of ../shared/data reproduce every aggregate of
// personalized_judge.md §8.2 and every prompt byte for byte (§8.3); malformed files fail with
// file, line and field. Tests on the shared data skip when it is absent.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "harness/core/errors.h"
#include "tasks/personalized_judge/judge_prompts.h"
#include "tasks/personalized_judge/judge_records.h"
#include "tasks/personalized_judge/recorded_file.h"
#include "tests/harness/subprocess_support.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using namespace perseval::personalized_judge;
using perseval::test::TempDir;

namespace {

std::string shared_dir() { return std::string(PERSEVAL_SOURCE_DIR) + "/../shared/data/personalized_judge"; }

// The path of a shared file, or "" (and a note) when the shared data is absent.
std::string shared_file(const std::string& name) {
  const std::string path = shared_dir() + "/" + name;
  if (!std::filesystem::exists(path)) return "";
  return path;
}

#define REQUIRE_SHARED(var, name)                                   \
  const std::string var = shared_file(name);                        \
  if (var.empty()) {                                                \
    WARN("skipped: " << shared_dir() << " not present");            \
    return;                                                         \
  }

std::vector<JudgeRecord> read_all(const std::string& path) {
  std::vector<JudgeRecord> out;
  read_judge_records(path, [&](JudgeRecord&& r) {
    out.push_back(std::move(r));
    return true;
  });
  return out;
}

void check_tally(const Tally& t, int64_t n, int64_t correct) {
  CHECK(t.n == n);
  CHECK(t.correct == correct);
}

void check_bins(const OfficialAnalysis& a, const std::map<int, std::pair<int64_t, int64_t>>& want) {
  REQUIRE(a.bins.size() == want.size());
  for (const auto& [bin, nc] : want) {
    INFO("bin " << bin);
    REQUIRE(a.bins.count(bin));
    check_tally(a.bins.at(bin), nc.first, nc.second);
  }
}

const ThresholdRow& threshold(const OfficialAnalysis& a, int t) {
  for (const auto& row : a.thresholds)
    if (row.threshold == t) return row;
  FAIL("no threshold " << t);
  return a.thresholds.front();
}

const MetricValue* metric(const std::vector<MetricValue>& ms, const std::string& name) {
  for (const auto& m : ms)
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace

TEST_CASE("personalized-judge §8.2: PRISM with_persona, command-r-plus", "[personalized-judge]") {
  REQUIRE_SHARED(path, "prism_with_persona_command-r-plus.jsonl");
  const auto report = analyse_recorded_file(path, {});
  const auto& a = report.official;
  CHECK_FALSE(report.tie);
  CHECK(report.kind == RecordKind::prism);
  CHECK(a.records == 60);
  check_tally(a.answered, 60, 44);
  CHECK(*a.answered.accuracy() == Approx(0.7333).margin(5e-5));
  CHECK(a.parse_failures == 0);
  check_tally(a.high, 9, 9);
  check_tally(a.low, 51, 35);
  check_bins(a, {{4, {5, 4}}, {6, {41, 26}}, {7, {5, 5}}, {8, {6, 6}}, {9, {3, 3}}});
  CHECK(a.gold_counts == std::map<std::string, int64_t>{{"A", 29}, {"B", 31}});
  CHECK(a.answer_counts == std::map<std::string, int64_t>{{"A", 27}, {"B", 33}});
  CHECK((threshold(a, 60).covered == 55 && threshold(a, 60).correct == 40));
  CHECK((threshold(a, 70).covered == 14 && threshold(a, 70).correct == 14));
  CHECK((threshold(a, 80).covered == 9 && threshold(a, 80).correct == 9));
  CHECK((threshold(a, 90).covered == 3 && threshold(a, 90).correct == 3));
  CHECK(a.auroc_wins == 428.5);
  CHECK(a.auroc_pairs == 704);
  CHECK(*a.auroc == Approx(0.608665).margin(1e-6));
  // Certainty values {41, 45, 60, 61, 65, 75, 81, 85, 90}.
  std::set<std::string> values;
  for (const auto& r : read_all(path)) values.insert(r.certainty);
  CHECK(values == std::set<std::string>{"41", "45", "60", "61", "65", "75", "81", "85", "90"});
  // No raw replies stored: the strict reading of the recorded fields agrees here.
  CHECK(report.extraction == "recorded_fields");
  CHECK(metric(report.strict, "accuracy_all")->value == Approx(44.0 / 60.0));
  CHECK(metric(report.strict, "auroc_certainty")->value == Approx(0.608665).margin(1e-6));
  CHECK(metric(report.strict, "coverage@80")->value == Approx(9.0 / 60.0));
}

TEST_CASE("personalized-judge §8.2: PRISM with tie, gpt-4o", "[personalized-judge]") {
  REQUIRE_SHARED(path, "prism_with_persona_with_tie_gpt-4o.jsonl");
  const auto report = analyse_recorded_file(path, {});
  const auto& a = report.official;
  CHECK(report.tie);
  CHECK_FALSE(report.certainty);
  CHECK(a.records == 40);
  check_tally(a.answered, 36, 24);
  CHECK(*a.answered.accuracy() == Approx(0.6667).margin(5e-5));
  check_tally(a.high, 0, 0);
  check_tally(a.low, 36, 24);
  check_bins(a, {{4, {36, 24}}});
  CHECK(a.gold_counts == std::map<std::string, int64_t>{{"A", 18}, {"B", 18}, {"C", 4}});
  CHECK(a.answer_counts == std::map<std::string, int64_t>{{"A", 20}, {"B", 16}, {"C", 3}, {"N", 1}});
  CHECK(a.parse_failures == 1);  // the "N"
  REQUIRE(a.three_way);
  check_tally(*a.three_way, 40, 27);
  CHECK(*a.three_way->accuracy() == Approx(0.675));
  REQUIRE(a.tie_gold);
  CHECK(a.tie_gold->n == 4);
  CHECK_FALSE(a.auroc);  // no certainty in tie prompts
  CHECK(std::find(report.flags.begin(), report.flags.end(), "ties_stale_candidates") != report.flags.end());
  // perseval's three-way accuracy over all rows is the same 27/40.
  CHECK(metric(report.strict, "accuracy_all")->value == Approx(0.675));
  CHECK(metric(report.strict, "n_no_answer")->value == 1);
}

TEST_CASE("personalized-judge §8.2: EC with_persona, gpt-4o", "[personalized-judge]") {
  REQUIRE_SHARED(path, "ec_with_persona_gpt-4o.jsonl");
  const auto a = analyse_recorded_file(path, {}).official;
  CHECK(a.records == 40);
  check_tally(a.answered, 40, 20);
  CHECK(*a.answered.accuracy() == 0.5);
  check_tally(a.high, 0, 0);
  check_tally(a.low, 40, 20);
  check_bins(a, {{4, {2, 1}}, {5, {3, 0}}, {6, {25, 12}}, {7, {10, 7}}});
  CHECK(a.gold_counts == std::map<std::string, int64_t>{{"A", 22}, {"B", 18}});
  CHECK(a.answer_counts == std::map<std::string, int64_t>{{"A", 24}, {"B", 16}});
  CHECK((threshold(a, 60).covered == 35 && threshold(a, 60).correct == 19));
  CHECK((threshold(a, 70).covered == 10 && threshold(a, 70).correct == 7));
  CHECK(threshold(a, 80).covered == 0);
  CHECK(a.auroc_wins == 278.5);
  CHECK(a.auroc_pairs == 400);
  CHECK(*a.auroc == Approx(0.69625));
}

TEST_CASE("personalized-judge §8.2: AP with_persona, gpt-4o, and strict reading of res", "[personalized-judge]") {
  REQUIRE_SHARED(path, "ap_with_persona_gpt-4o.jsonl");
  const auto report = analyse_recorded_file(path, {});
  const auto& a = report.official;
  CHECK(report.kind == RecordKind::ap);
  CHECK(a.records == 40);
  check_tally(a.answered, 40, 40);
  CHECK(*a.answered.accuracy() == 1.0);
  check_tally(a.high, 22, 22);
  check_tally(a.low, 18, 18);
  check_bins(a, {{4, {1, 1}}, {6, {8, 8}}, {7, {9, 9}}, {8, {22, 22}}});
  CHECK(a.gold_counts == std::map<std::string, int64_t>{{"A", 23}, {"B", 17}});
  CHECK((threshold(a, 60).covered == 39 && threshold(a, 60).correct == 39));
  CHECK((threshold(a, 70).covered == 31 && threshold(a, 70).correct == 31));
  CHECK((threshold(a, 80).covered == 22 && threshold(a, 80).correct == 22));
  CHECK(threshold(a, 90).covered == 0);
  CHECK_FALSE(a.auroc);  // all correct: undefined
  CHECK(report.flags == std::vector<std::string>{"degenerate_distractor"});
  // Strict extraction on `res`: 39 parsed, 39 correct, 1 no_answer (the third record).
  CHECK(report.extraction == "res");
  CHECK(metric(report.strict, "accuracy_all")->value == Approx(39.0 / 40.0));
  CHECK(metric(report.strict, "accuracy_parsed")->value == 1.0);
  CHECK(metric(report.strict, "accuracy_parsed")->n == 39);
  CHECK(metric(report.strict, "n_no_answer")->value == 1);
  CHECK(metric(report.strict, "n_unparsed")->value == 1);
  const auto records = read_all(path);
  CHECK(*records[2].res == "Based on the user profile provided, the user is a 23-year-old");
  CHECK(records[2].answer == "B");
  CHECK(records[2].certainty == "23");
}

TEST_CASE("personalized-judge §8.3: prompts render byte for byte", "[personalized-judge]") {
  REQUIRE_SHARED(prism, "prism_with_persona_command-r-plus.jsonl");
  int checked = 0;
  for (const auto& r : read_all(prism)) {
    INFO("PRISM line " << r.line);
    CHECK(render_with_persona({r.user_info, *r.question, "", *r.asst_a, *r.asst_b}) == r.prompt);
    ++checked;
  }
  CHECK(checked == 60);
  for (const auto& r : read_all(shared_dir() + "/prism_with_persona_with_tie_gpt-4o.jsonl")) {
    INFO("tie line " << r.line);
    CHECK(render_with_persona_with_tie({r.user_info, *r.question, "", *r.asst_a, *r.asst_b}) == r.prompt);
    ++checked;
  }
  for (const auto& r : read_all(shared_dir() + "/ec_with_persona_gpt-4o.jsonl")) {
    INFO("EC line " << r.line);
    CHECK(r.kind == RecordKind::ec);
    CHECK(render_ec({r.user_info, "", *r.article, *r.asst_a, *r.asst_b}) == r.prompt);
    ++checked;
  }
  CHECK(checked == 140);
}

TEST_CASE("personalized-judge records: any field order, clear errors", "[personalized-judge]") {
  TempDir dir;
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.file(name)) << text;
    return dir.file(name);
  };
  const auto ok = write("ok.jsonl",
                        "{\"ground_truth\": \"B\", \"acc\": true, \"certainty\": 70, \"answer\": \"B\"}\n"
                        "\n"
                        "{\"answer\": \"N\", \"certainty\": \"NA\", \"acc\": false, \"ground_truth\": \"A\"}\n");
  const auto rs = read_all(ok);
  REQUIRE(rs.size() == 2);
  CHECK(rs[0].certainty == "70");
  CHECK(rs[1].line == 3);
  const auto report = analyse_recorded_file(ok, {});
  CHECK(report.official.parse_failures == 1);
  CHECK(report.official.answered.n == 1);

  auto error_of = [&](const std::string& text) {
    const auto path = write("bad.jsonl", text);
    try {
      read_all(path);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string missing = error_of("{\"answer\": \"A\", \"certainty\": \"1\", \"acc\": true, \"ground_truth\": \"A\"}\n"
                                       "{\"answer\": \"A\", \"certainty\": \"1\", \"ground_truth\": \"A\"}\n");
  CHECK_THAT(missing, Catch::Contains("bad.jsonl:2"));
  CHECK_THAT(missing, Catch::Contains("field 'acc' missing"));
  CHECK_THAT(error_of("{\"answer\": \"A\", \"certainty\": \"1\", \"acc\": true}\n"),
             Catch::Contains("field 'ground_truth' missing"));
  CHECK_THAT(error_of("{\"certainty\": \"1\", \"acc\": true, \"ground_truth\": \"A\"}\n"),
             Catch::Contains("field 'answer' missing"));
  CHECK_THAT(error_of("{\"answer\": \"A\", \"acc\": true, \"ground_truth\": \"A\"}\n"),
             Catch::Contains("field 'certainty' missing"));
  CHECK_THAT(error_of("{\"answer\": \"A\", \"certainty\": \"1\", \"acc\": \"yes\", \"ground_truth\": \"A\"}\n"),
             Catch::Contains("'acc' must be true or false"));
  CHECK_THAT(error_of("{\"answer\": \"A\", \"certainty\": \"1\", \"acc\": true, \"ground_truth\": \"D\"}\n"),
             Catch::Contains("ground_truth"));
  CHECK_THAT(error_of("not json\n"), Catch::Contains("bad.jsonl:1: not valid JSON"));
  CHECK_THAT(error_of("[1]\n"), Catch::Contains("expected a JSON object"));
}

TEST_CASE("perseval score personalized-judge prints the upstream analysis", "[personalized-judge]") {
  REQUIRE_SHARED(path, "ec_with_persona_gpt-4o.jsonl");
  TempDir dir;
  const auto r = perseval::test::run_perseval({"score", "personalized-judge", "--preds", path, "--json"},
                                              dir.path().string());
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["records"] == 40);
  CHECK(j["answered"] == 40);
  CHECK(j["correct"] == 20);
  CHECK(j["accuracy"] == 0.5);
  CHECK(j["parse_failures"] == 0);
  CHECK(j["high"] == json{{"n", 0}, {"correct", 0}, {"accuracy", 0.0}});  // the notebook prints 0
  CHECK(j["low"]["n"] == 40);
  CHECK(j["bins"]["5"] == json{{"n", 3}, {"correct", 0}});
  CHECK(j["thresholds"]["60"]["covered"] == 35);
  CHECK(j["thresholds"]["60"]["correct"] == 19);
  CHECK(j["thresholds"]["80"]["accuracy"].is_null());
  CHECK_FALSE(j.contains("three_way_accuracy"));
  CHECK(j["perseval"]["metrics"]["accuracy_all"]["value"] == 0.5);
  // --high-threshold moves the split; the text form names the keys.
  const auto t = perseval::test::run_perseval({"score", "personalized-judge", "--preds", path, "--high-threshold", "70"},
                                              dir.path().string());
  REQUIRE(t.exit_code == 0);
  CHECK_THAT(t.out, Catch::Contains("high (>= 70)"));
  CHECK_THAT(t.out, Catch::Contains("n=10 correct=7"));
  // A malformed file exits 2 with file, line and field.
  const std::string bad = dir.write("bad.jsonl", "{\"answer\": \"A\", \"certainty\": \"50\", \"acc\": true}\n");
  const auto e = perseval::test::run_perseval({"score", "personalized-judge", "--preds", bad}, dir.path().string());
  CHECK(e.exit_code == 2);
  CHECK_THAT(e.err, Catch::Contains("bad.jsonl:1: field 'ground_truth' missing"));
  // --tie forces three-way reporting.
  const auto tie = perseval::test::run_perseval({"score", "personalized-judge", "--preds", path, "--json", "--tie"},
                                                dir.path().string());
  REQUIRE(tie.exit_code == 0);
  CHECK(json::parse(tie.out)["three_way_accuracy"]["correct"] == 20);
}

// A number beyond double's range is nlohmann's out_of_range.406, not a parse_error; it
// escaped the shared JSON Lines reader as an undocumented exception (found by fuzzing).
TEST_CASE("personalized-judge records: a number out of range is invalid JSON", "[personalized-judge][fuzz]") {
  TempDir dir;
  const auto path = dir.write("big.jsonl", "{\"answer\": \"A\", \"certainty\": 1e999, \"acc\": true, \"ground_truth\": \"A\"}\n");
  try {
    read_all(path);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::Contains("big.jsonl:1: not valid JSON") && Catch::Contains("number overflow"));
  }
}
