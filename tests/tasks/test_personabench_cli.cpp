// `perseval score personabench`: the official results format re-scored as eval.py does.
// Expected numbers come from a CPython re-implementation of eval.py's calculate_qa_scores /
// calculate_retrieval_scores (numpy's log2 replaced by math.log2) on the same file.
#include <catch2/catch.hpp>

#include <cstdio>

#include "harness/core/errors.h"
#include "tasks/personabench/results_file.h"
#include "tests/harness/subprocess_support.h"
#include "tests/tasks/personabench_test_support.h"

using namespace perseval;
using namespace perseval::personabench_test;
namespace pb = perseval::personabench;
using pb::ordered_json;

namespace {

// The fixture's 17 evaluated questions at noise 0.5 with fixed predictions; question i of a
// person retrieved chunks (3i + j) mod n, j < 5, where n is that person's chunk count.
ordered_json minimal_results() {
  struct Row {
    const char* q_id;
    ordered_json prediction;
  };
  const std::vector<Row> rows{
      {"900000000", "Synthfield University"}, {"900000001", "34"}, {"900000002", "Café Noël Roasters"},
      {"900000003", "oolong tea, not matcha anymore"}, {"900000004", "2 cups (used to be 4)"},
      {"900000005", "She is my sister."}, {"900000006", "Émile Synthé"}, {"900000007", "5'6\", blue eyes"},
      {"900000008", "Tokyo, Moscow, Paris, Lisbon, Québec, Oslo"}, {"900000009", " B "},
      {"900001000", "marine biologist"}, {"900001001", ordered_json::array({"jazz", "city pop"})},
      {"900001002", "Taro"}, {"900001003", "tennis"}, {"901000000", "pierogi"},
      {"901000001", "Amara Synthe-Okafor"}, {"901000002", "B"}};
  ordered_json results = ordered_json::array();
  for (const auto& row : rows) {
    const std::string q = row.q_id;
    const std::string prefix = q.substr(0, 3) + q.substr(4, 2);  // "9" + community + person
    const int n = q.substr(0, 6) == "900000" ? 13 : q.substr(0, 6) == "900001" ? 9 : 7;
    const int i = std::stoi(q.substr(6));
    ordered_json ids = ordered_json::array();
    for (int j = 0; j < 5; ++j) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%07d", (i * 3 + j) % n);
      ids.push_back(prefix + buf);
    }
    results.push_back({{"q_id", q}, {"prediction", row.prediction}, {"retrieved_segment_ids", ids}});
  }
  return ordered_json::array({{{"Model", "gpt-4o+BAAI/bge-m3"}, {"Results", results}}});
}

const pb::CategoryResult& category(const pb::VariantResult& v, const std::string& name) {
  for (const auto& c : v.categories)
    if (c.name == name) return c;
  FAIL("no category " << name);
  return v.categories.front();
}

void check_prf(const pb::CategoryResult& c, long long n, double p, double r, double f1) {
  INFO(c.name);
  CHECK(c.n == n);
  CHECK(c.precision == Approx(p).margin(1e-12));
  CHECK(c.recall == Approx(r).margin(1e-12));
  CHECK(c.f1 == Approx(f1).margin(1e-12));
}

}  // namespace

TEST_CASE("personabench score: official and corrected agree with eval.py", "[personabench]") {
  TempDir dir;
  const auto preds = dir.write("result_noise_0.5.json", minimal_results().dump(4));
  const auto models = pb::score_results_file(fixture_root(), "0.5", preds);
  REQUIRE(models.size() == 1);
  const auto& m = models[0];
  CHECK(m.retriever == "BAAI/bge-m3");
  CHECK(m.k_label == "5");
  const auto& o = m.official;
  REQUIRE(o.error.empty());
  REQUIRE(o.categories.size() == 5);
  CHECK(o.categories.back().name == "Overall");
  check_prf(category(o, "Overall"), 15, 0.7322222222222223, 0.76, 0.7069841269841269);
  check_prf(category(o, "Basic_information_easy"), 5, 0.7333333333333333, 0.58, 0.6333333333333333);
  check_prf(category(o, "Preference_easy"), 2, 1.0, 1.0, 1.0);
  check_prf(category(o, "Preference_hard"), 4, 0.5166666666666666, 0.75, 0.5928571428571429);
  check_prf(category(o, "Social_easy"), 4, 0.8125, 0.875, 0.7666666666666666);
  CHECK(o.outdated_n == 3);
  CHECK(o.outdated_recall == Approx(1.0 / 3).margin(1e-12));

  const auto& c = m.corrected;
  check_prf(category(c, "Overall"), 15, 0.81, 0.8933333333333333, 0.7926984126984126);
  check_prf(category(c, "Basic_information_easy"), 5, 0.9333333333333332, 0.78, 0.8333333333333334);
  check_prf(category(c, "Preference_hard"), 4, 0.5583333333333333, 1.0, 0.6642857142857144);
  CHECK(c.outdated_recall == Approx(2.0 / 3).margin(1e-12));
  CHECK(c.subjective_n == 2);
  CHECK(c.subjective_accuracy == 0.5);

  const std::map<std::string, std::pair<double, double>> retrieval{
      {"Overall", {0.6, 0.35608322530625097}},
      {"Basic_information_easy", {0.8, 0.46469316375755315}},
      {"Preference_easy", {0.5, 0.31546487678572877}},
      {"Preference_hard", {0.5, 0.375}},
      {"Social_easy", {0.5, 0.2217132018086354}}};
  for (const auto* variant : {&o, &c})
    for (const auto& [name, expected] : retrieval) {
      INFO(name);
      CHECK(category(*variant, name).retrieval_recall == Approx(expected.first).margin(1e-12));
      CHECK(category(*variant, name).retrieval_ndcg == Approx(expected.second).margin(1e-12));
    }

  const auto json_out = pb::results_to_json(models, "0.5");
  CHECK(json_out["models"][0]["official"]["Overall"]["ndcg@5"].get<double>() == Approx(0.35608322530625097).margin(1e-12));
  CHECK(json_out["models"][0]["corrected"]["Subjective"]["n"] == 2);
  CHECK(json_out["models"][0]["official"].contains("Subjective") == false);
}

TEST_CASE("personabench score: entry fields win, gt-context has no retrieval, NameError case", "[personabench]") {
  TempDir dir;
  // The entry's own answer replaces the data's; an int answer first leaves the official
  // variant undefined (eval.py raises NameError) while the corrected one is computed.
  const auto preds = dir.write("r.json", R"([
    {"Model": "gpt-4o+gt-context", "Results": [
      {"q_id": "900000000", "answer": "X Y", "type": "Basic information", "difficulty": "easy",
       "prediction": "x", "retrieved_segment_ids": ["1"], "ground_truth_segment_ids": {"X Y": ["2"]}}]},
    {"Model": "gpt-4o+bm25", "Results": [
      {"q_id": "900000001", "prediction": "34", "retrieved_segment_ids": ["900000000004"]}]}])");
  const auto models = pb::score_results_file(fixture_root(), "0.5", preds);
  REQUIRE(models.size() == 2);
  check_prf(category(models[0].official, "Overall"), 1, 1.0, 0.5, 2.0 / 3.0);
  CHECK_FALSE(category(models[0].official, "Overall").has_retrieval);
  CHECK(models[1].official.error.find("q_id=900000001") != std::string::npos);
  CHECK(models[1].official.error.find("NameError") != std::string::npos);
  check_prf(category(models[1].corrected, "Overall"), 1, 1.0, 1.0, 1.0);
  CHECK(category(models[1].corrected, "Overall").retrieval_recall == 1.0);
  std::string notes;
  const auto text = pb::run_score_command(bundled_dir(), "0.5", preds, false, notes);
  CHECK(text.find("model gpt-4o+bm25") != std::string::npos);
  CHECK(notes.find("official scores undefined") != std::string::npos);
}

TEST_CASE("personabench score: malformed entries name the file, record and field", "[personabench]") {
  TempDir dir;
  const auto error_of = [&](const std::string& content) {
    const auto path = dir.write("bad.json", content);
    try {
      pb::score_results_file(fixture_root(), "0.5", path);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error_of(R"([{"Model": "m+r", "Results": [{"q_id": "900000000", "prediction": 5,
        "retrieved_segment_ids": []}]}])")
            .find("bad.json: record 0 (id=900000000): Results[0]: prediction is an integer") != std::string::npos);
  CHECK(error_of(R"([{"Model": "m+r", "Results": [{"q_id": "900000000", "prediction": "x"}]}])")
            .find("Results[0]: field 'retrieved_segment_ids' missing") != std::string::npos);
  CHECK(error_of(R"([{"Model": "m+r", "Results": [{"q_id": "123", "prediction": "x"}]}])")
            .find("field 'type' missing and q_id 123 is not in the data") != std::string::npos);
  CHECK(error_of(R"([{"Model": "m+r", "Results": [{"q_id": "900000000", "answer": 1.5,
        "prediction": "x", "retrieved_segment_ids": []}]}])")
            .find("got a float") != std::string::npos);
  CHECK(error_of(R"({"Model": "m"})").find("expected a list") != std::string::npos);
}

TEST_CASE("personabench score: the command line", "[personabench][cli]") {
  TempDir dir;
  const auto preds = dir.write("result_noise_0.5.json", minimal_results().dump(4));
  auto r = test::run_perseval({"score", "personabench", "--data-dir", bundled_dir(), "--noise", "0.5", "--preds",
                               preds, "--json"},
                              dir.path().string());
  REQUIRE(r.exit_code == 0);
  const auto out = json::parse(r.out);
  CHECK(out["noise"] == "0.5");
  CHECK(out["models"][0]["official"]["Overall"]["f1"].get<double>() == Approx(0.7069841269841269).margin(1e-12));
  CHECK(out["models"][0]["corrected"]["Overall"]["recall@5"].get<double>() == Approx(0.6).margin(1e-12));
  r = test::run_perseval({"score", "personabench", "--data-dir", bundled_dir(), "--noise", "0.5", "--preds", preds},
                         dir.path().string());
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Preference_easy") != std::string::npos);
  r = test::run_perseval({"score", "personabench", "--data-dir", bundled_dir(), "--noise", "0.4", "--preds", preds},
                         dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--noise must be one of") != std::string::npos);
  r = test::run_perseval({"score", "personabench", "--noise", "0.5", "--preds", preds}, dir.path().string());
  CHECK(r.exit_code == 2);
}
