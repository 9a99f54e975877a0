// PersonaBench scoring pieces: categories, gold/prediction word sets, the official int-answer
// bug (reproduced) and its correction, retrieval maximised over ground-truth alternatives.
#include <catch2/catch.hpp>

#include <map>
#include <stdexcept>

#include "tasks/personabench/answer_scoring.h"
#include "tasks/personabench/corpus.h"
#include "tasks/personabench/sample_scoring.h"
#include "tests/tasks/personabench_test_support.h"

using namespace perseval;
using namespace perseval::personabench_test;
namespace pb = perseval::personabench;
using pb::ordered_json;
using Set = std::set<std::string>;

TEST_CASE("personabench scoring: categories as eval.py joins them", "[personabench]") {
  CHECK(pb::category_of("Basic information", "easy") == "Basic_information_easy");
  CHECK(pb::category_of("Basic information", "hard") == "Basic_information_easy");
  CHECK(pb::category_of("Preference", "hard") == "Preference_hard");
  CHECK(pb::category_of("Preference", "easy") == "Preference_easy");
  CHECK(pb::category_of("Social", "hard") == "Social_easy");
  CHECK(pb::category_of("Subjective", "easy") == "");
  CHECK(pb::category_of("Preference", "very hard") == "Preference_very_hard");
}

TEST_CASE("personabench scoring: gold word sets of every answer type", "[personabench]") {
  using pb::AnswerMode;
  CHECK(pb::gold_words(ordered_json("Harvard University"), AnswerMode::official).words == Set{"harvard", "university"});
  const auto items = ordered_json::parse(R"([{"Height": "5'6\""}, {"Eye color": "Blue"}])");
  CHECK(pb::gold_words(items, AnswerMode::official).words == Set{"height", "56", "eye", "color", "blue"});
  CHECK(pb::gold_words(ordered_json::parse(R"(["Café Noël", "東京"])"), AnswerMode::official).words == Set{"caf", "nol"});
  const auto official_int = pb::gold_words(ordered_json(39), AnswerMode::official);
  CHECK(official_int.carry);
  CHECK(official_int.words.empty());
  CHECK(pb::gold_words(ordered_json(39), AnswerMode::corrected).words == Set{"39"});
  CHECK(pb::gold_words(ordered_json(true), AnswerMode::official).carry);  // bool is an int in Python
  CHECK(pb::gold_words(ordered_json(true), AnswerMode::corrected).words == Set{"true"});
  CHECK_THROWS_AS(pb::gold_words(ordered_json(39.5), AnswerMode::official), std::invalid_argument);
  CHECK_THROWS_AS(pb::gold_words(ordered_json(), AnswerMode::corrected), std::invalid_argument);
  CHECK_THROWS_AS(pb::gold_words(ordered_json::object(), AnswerMode::official), std::invalid_argument);
}

TEST_CASE("personabench scoring: predictions as strings, lists or objects", "[personabench]") {
  CHECK(pb::prediction_words(ordered_json("5'6\", blue eyes")) == Set{"56", "blue", "eyes"});
  CHECK(pb::prediction_words(ordered_json::parse(R"(["jazz", "city pop"])")) == Set{"jazz", "city", "pop"});
  CHECK(pb::prediction_words(ordered_json::parse(R"({"a b": 1})")) == Set{"a", "b"});
  CHECK_THROWS_AS(pb::prediction_words(ordered_json(3)), std::invalid_argument);
  CHECK_THROWS_AS(pb::prediction_words(ordered_json()), std::invalid_argument);
}

TEST_CASE("personabench scoring: the carried set reproduces eval.py's reuse", "[personabench]") {
  pb::CarriedSet carried;
  CHECK_FALSE(carried.resolve({true, {}}).has_value());  // NameError upstream
  CHECK(*carried.resolve({false, {"harvard"}}) == Set{"harvard"});
  CHECK(*carried.resolve({true, {}}) == Set{"harvard"});
  CHECK(*carried.resolve({false, {}}) == Set{});
}

TEST_CASE("personabench scoring: Subjective letters (labelled extra)", "[personabench]") {
  CHECK(*pb::subjective_correct(" B\n", ordered_json("B")));
  CHECK_FALSE(*pb::subjective_correct("B.", ordered_json("B")));
  const auto letters = ordered_json::parse(R"(["B", "C", "G"])");
  CHECK(*pb::subjective_correct("B, C, G", letters));
  CHECK(*pb::subjective_correct("G C B", letters));
  CHECK_FALSE(*pb::subjective_correct("B, C", letters));
  CHECK_FALSE(pb::subjective_correct("B", ordered_json(3)).has_value());
  using Letters = std::vector<std::string>;
  CHECK(pb::subjective_choices("please choose between A: Uninterested or B: Curious. Answer with") ==
        Letters{"A", "B"});
  CHECK(pb::subjective_choices("Choices: A: Calm, B: Bold, I: Analytical, J: Detail-oriented.") ==
        Letters{"A", "B", "I", "J"});
  CHECK(pb::subjective_choices("no letters here") == Letters{"A", "B"});
}

TEST_CASE("personabench retrieval: maxima over the cartesian product of alternatives", "[personabench]") {
  const pb::GtItems items{{"A", {"x", "y"}}, {"B", {"z"}}};
  const std::vector<std::string> retrieved{"y", "q", "z", "w", "x"};
  const auto best = pb::best_retrieval_scores(retrieved, items);
  CHECK(best.recall == 1.0);
  CHECK(best.ndcg == Approx(0.9197207891481876).epsilon(1e-15));  // {y, z}; {x, z} gives 0.5438
  // Two items sharing one segment form a one-element set; the duplicate hit counts twice.
  const auto dup = pb::best_retrieval_scores({"x", "x", "a", "b", "c"}, {{"A", {"x"}}, {"B", {"x"}}});
  CHECK(dup.recall == 1.0);
  CHECK(dup.ndcg == Approx(1.6309297535714575).epsilon(1e-15));
  CHECK(pb::best_retrieval_scores(retrieved, {}).recall == 0.0);
  CHECK(pb::best_retrieval_scores({}, items).ndcg == 0.0);
}

TEST_CASE("personabench oracle: first alternatives padded by cycling", "[personabench]") {
  using Ids = std::vector<std::string>;
  CHECK(pb::oracle_segment_ids({{"A", {"x", "q"}}, {"B", {"y"}}}, 5) == Ids{"x", "y", "x", "y", "x"});
  CHECK(pb::oracle_segment_ids({{"A", {"x"}}}, 3) == Ids{"x", "x", "x"});
  pb::GtItems six;
  for (int i = 0; i < 6; ++i) six.push_back({std::to_string(i), {"s" + std::to_string(i)}});
  CHECK(pb::oracle_segment_ids(six, 5).size() == 6);  // upstream raises ValueError here
  CHECK(pb::oracle_segment_ids({}, 5).empty());
}

TEST_CASE("personabench scoring: the int-answer bug in official, fixed in corrected", "[personabench]") {
  const auto task = make("personabench:noise=0.5,retriever=oracle");
  std::map<std::string, Sample> by_id;
  for (auto& s : load_all(*task, bundled_source())) by_id.emplace(s.id, s);
  Completion c;

  c.text = "34";  // age question right after "Synthfield University"
  auto s = task->score(by_id.at("900000001"), c, {});
  CHECK(s.values.at("f1") == 0.0);
  CHECK(s.values.at("precision") == 0.0);
  CHECK(s.values.at("f1_corrected") == 1.0);
  CHECK(s.values.at("int_answer") == 1.0);
  CHECK(s.values.count("recall@5") == 0);  // no retrieval metrics for the oracle

  c.text = "Synthfield University";  // scores as correct officially, wrong when corrected
  s = task->score(by_id.at("900000001"), c, {});
  CHECK(s.values.at("f1") == 1.0);
  CHECK(s.values.at("f1_corrected") == 0.0);

  c.text = "2 cups (used to be 4)";  // int answer and int outdated_value, both carried
  s = task->score(by_id.at("900000004"), c, {});
  CHECK(s.values.at("recall") == 0.0);                       // official gold: {oolong, tea}
  CHECK(s.values.at("recall_corrected") == 1.0);
  CHECK(s.values.at("outdated_recall") == 0.0);              // official outdated: {matcha}
  CHECK(s.values.at("outdated_recall_corrected") == 1.0);    // {4} is in the prediction

  c.text = "5'6\", blue eyes";  // personabench.md §4.2 worked example
  s = task->score(by_id.at("900000007"), c, {});
  CHECK(s.values.at("precision") == 2.0 / 3.0);
  CHECK(s.values.at("recall") == 2.0 / 5.0);
  CHECK(s.values.at("f1") == Approx(0.5).epsilon(1e-15));
  CHECK(s.values.at("f1_corrected") == s.values.at("f1"));

  c.text = " B ";
  s = task->score(by_id.at("900000009"), c, {});
  CHECK(s.values == std::map<std::string, double>{{"subjective_correct", 1.0}});

  c.text = "Tokyo";
  s = task->score(by_id.at("900000008"), c, {});
  CHECK(s.values.at("over_k_items") == 1.0);

  c.error = "HTTP 500";  // a failed call scores as ""
  s = task->score(by_id.at("900000000"), c, {});
  CHECK(s.values.at("f1") == 0.0);
}
