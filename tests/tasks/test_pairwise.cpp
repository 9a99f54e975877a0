// The shared A/B choice piece: extraction, the upstream rules, position, scoring, aggregates.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "tasks/pairwise/choice_extraction.h"
#include "tasks/pairwise/logprob_confidence.h"
#include "tasks/pairwise/pair_layout.h"
#include "tasks/pairwise/pairwise_scoring.h"

using namespace perseval;
using namespace perseval::pairwise;

namespace {

Choice lenient(std::string_view reply, std::string allowed = "AB") {
  ExtractOptions o;
  o.allowed = std::move(allowed);
  return extract_choice(reply, o);
}

Choice strict_open(std::string_view reply, std::string allowed = "AB") {
  ExtractOptions o;
  o.allowed = std::move(allowed);
  o.open_bracket_prompt = true;
  o.pick = BracketPick::first;
  o.lenient = false;
  o.want_certainty = true;
  return extract_choice(reply, o);
}

const MetricValue* find(const std::vector<MetricValue>& ms, const std::string& name) {
  for (const auto& m : ms)
    if (m.name == name) return &m;
  return nullptr;
}

ScoredSample scored(const std::string& id, const Scores& s, const std::string& order = "",
                    const std::string& user = "u") {
  ScoredSample out;
  out.sample_id = id;
  out.user_id = user;
  out.scores = s;
  if (!order.empty()) out.slices["order"] = order;
  return out;
}

}  // namespace

TEST_CASE("choice extraction accepts double-bracketed A, Answer: A, (A) and a bare A", "[pairwise]") {
  CHECK(lenient("[[A]]").answer == "A");
  CHECK(lenient("[[A]]").form == "brackets");
  CHECK(lenient("I pick [[ B ]] because…").answer == "B");
  CHECK(lenient("Answer: B").answer == "B");
  CHECK(lenient("Answer: B").form == "answer_prefix");
  CHECK(lenient("**answer:** (A)").answer == "A");
  CHECK(lenient("The better one is (B).").answer == "B");
  CHECK(lenient("The better one is (B).").form == "parens");
  CHECK(lenient("  A.\n").answer == "A");
  CHECK(lenient("\"B\"").form == "bare");
  // Last bracketed answer wins by default: the format restated first, then the answer.
  CHECK(lenient("Use \"[[A]]\" or \"[[B]]\" … my answer: [[B]]").answer == "B");
  // Not answers.
  CHECK(lenient("Assistant A is better").status == "no_answer");
  CHECK(lenient("").status == "no_answer");
  CHECK(lenient("Answer: Assistant").status == "no_answer");
  CHECK(lenient("either (A) or (B)").status == "ambiguous");
  CHECK(lenient("either (A) or (B)").answer.empty());
  CHECK(lenient("[[C]]").status == "answer_not_allowed");
  CHECK(lenient("[[C]]", "ABC").answer == "C");
  CHECK(lenient("[[D]]").status == "no_answer");
}

TEST_CASE("strict extraction after an open double bracket reads the certainty after the answer", "[pairwise]") {
  auto c = strict_open("A]] [[80]]");
  CHECK(c.answer == "A");
  CHECK(c.certainty == 80);
  CHECK(c.certainty_status == "ok");
  CHECK(strict_open("[[B]]  \n[[81]]").answer == "B");  // chat models repeat the brackets
  CHECK(strict_open("[[B]]  \n[[81]]").certainty == 81);
  CHECK(strict_open("B]]").certainty_status == "no_certainty");
  CHECK(strict_open("A]] [[0]]").certainty_status == "certainty_out_of_range");
  CHECK(strict_open("A]] [[150]]").certainty_status == "certainty_out_of_range");
  CHECK(strict_open("A]] [[1000]]").certainty_status == "no_certainty");
  CHECK(strict_open("A]] [[100]]").certainty == 100);
  // The AP record the official rules read as answer B, certainty 23.
  const std::string ap = "Based on the user profile provided, the user is a 23-year-old";
  CHECK(strict_open(ap).status == "no_answer");
  CHECK(strict_open(ap).certainty_status == "no_certainty");
  // No lenient forms in strict mode.
  CHECK(strict_open("Answer: A").status == "no_answer");
  CHECK(strict_open("C]] [[70]]").status == "answer_not_allowed");
  CHECK(strict_open("C]]", "ABC").answer == "C");
  // The certainty must follow the answer: a number before it is not taken.
  CHECK(strict_open("[[55]] then [[A]]").answer == "A");
  CHECK(strict_open("[[55]] then [[A]]").certainty_status == "no_certainty");
}

TEST_CASE("the upstream first-character and first-integer rules", "[pairwise]") {
  CHECK(official_answer("A]] [[80]]") == "A");
  CHECK(official_answer("[[A]] [[85]]") == "A");
  CHECK(official_answer("Based on the user profile provided, the user is a 23-year-old") == "B");
  CHECK(official_answer("Answer: B") == "B");
  CHECK(official_answer("  \n ") == std::nullopt);  // upstream raises IndexError
  CHECK(official_answer("(A)", true) == "A");
  CHECK(official_answer("(A)") == "(");
  CHECK(official_answer("é!") == "é");
  CHECK(official_certainty("Based on …, the user is a 23-year-old") == "23");
  CHECK(official_certainty("[[A]] [[85]]") == "85");
  CHECK(official_certainty("no number") == "NA");
  CHECK(official_certainty_bin("NA") == 4);
  CHECK(official_certainty_bin("39") == 4);
  CHECK(official_certainty_bin("45") == 4);
  CHECK(official_certainty_bin("65") == 6);
  CHECK(official_certainty_bin("80") == 8);
  CHECK(official_certainty_bin("100") == 9);
  CHECK(official_certainty_value("NA") == 0);
  CHECK(official_certainty_value("81") == 81);
}

TEST_CASE("position: stored, swapped, or one seeded bit per sample", "[pairwise]") {
  const auto kept = show_pair("chosen", "reject", "A", false);
  CHECK(kept.a == "chosen");
  CHECK(kept.gold == "A");
  const auto swapped = show_pair("chosen", "reject", "A", true);
  CHECK(swapped.a == "reject");
  CHECK(swapped.b == "chosen");
  CHECK(swapped.gold == "B");
  CHECK(show_pair("x", "y", "C", true).gold == "C");  // a tie stays a tie
  CHECK_FALSE(shown_swapped(Arrangement::as_stored, 5));
  CHECK(shown_swapped(Arrangement::swapped, 5));
  // from_seed: deterministic per seed and roughly balanced.
  int swaps = 0;
  for (uint64_t seed = 0; seed < 1000; ++seed) {
    CHECK(shown_swapped(Arrangement::from_seed, seed) == shown_swapped(Arrangement::from_seed, seed));
    swaps += shown_swapped(Arrangement::from_seed, seed);
  }
  CHECK(swaps > 430);
  CHECK(swaps < 570);
  CHECK(parse_arrangement("from_seed") == Arrangement::from_seed);
  CHECK_FALSE(parse_arrangement("random"));
}

TEST_CASE("both orders become two samples paired again by item id", "[pairwise]") {
  std::vector<Sample> got;
  const SampleSink sink = [&](Sample&& s) {
    got.push_back(std::move(s));
    return true;
  };
  Sample s;
  s.id = "item-1";
  s.input = json::object();
  REQUIRE(emit_orders(Sample(s), Arrangement::from_seed, false, sink));
  REQUIRE(got.size() == 1);
  CHECK(arrangement_of(got[0]) == Arrangement::from_seed);
  CHECK(got[0].slices.count("order") == 0);
  got.clear();
  REQUIRE(emit_orders(Sample(s), Arrangement::from_seed, true, sink));
  REQUIRE(got.size() == 2);
  CHECK(got[0].id == "item-1");
  CHECK(got[1].id == "item-1#swapped");
  CHECK(arrangement_of(got[0]) == Arrangement::as_stored);
  CHECK(arrangement_of(got[1]) == Arrangement::swapped);
  CHECK(got[1].slices.at("order") == "swapped");
  CHECK(pair_item_id("item-1#swapped") == "item-1");
  CHECK(pair_item_id("item-1") == "item-1");
}

TEST_CASE("scoring one choice: unparsed counts as wrong and is counted", "[pairwise]") {
  const auto shown = show_pair("long gold answer", "short", "A", true);  // gold shown as B
  const auto right = score_choice(lenient("[[B]]"), shown, false);
  CHECK(right.parsed_answer == "B");
  CHECK(right.values.at("correct") == 1);
  CHECK(right.values.at("gold_index") == 1);
  CHECK(right.values.at("answer_index") == 1);
  CHECK(right.values.at("picked_stored_first") == 1);
  CHECK(right.values.at("longer_is_gold") == 1);
  const auto junk = score_choice(lenient("I cannot decide"), shown, false);
  CHECK(junk.parsed_answer == "(no_answer)");
  CHECK(junk.values.at("correct") == 0);
  CHECK(junk.values.at("unparsed") == 1);
  CHECK(junk.values.count("answer_index") == 0);
  const auto failed = score_choice(lenient(""), shown, true);
  CHECK(failed.values.at("failed") == 1);
  CHECK(failed.values.at("unparsed") == 0);
  CHECK(failed.parsed_answer == "(error)");
}

TEST_CASE("pairwise aggregate: accuracy, bias, both orders, certainty", "[pairwise]") {
  // Item 1: right in both orders. Item 2: picks A both times (inconsistent; right once).
  // Item 3: unparsed in the swapped order. One failed call for item 4 (no partner).
  ExtractOptions cert;
  cert.want_certainty = true;
  const auto stored = show_pair("g", "other", "A", false);
  const auto swapped = show_pair("g", "other", "A", true);
  std::vector<ScoredSample> rows = {
      scored("i1", score_choice(extract_choice("[[A]] [[90]]", cert), stored, false), "stored", "u1"),
      scored("i1#swapped", score_choice(extract_choice("[[B]] [[80]]", cert), swapped, false), "swapped", "u1"),
      scored("i2", score_choice(extract_choice("[[A]] [[60]]", cert), stored, false), "stored", "u2"),
      scored("i2#swapped", score_choice(extract_choice("[[A]] [[70]]", cert), swapped, false), "swapped", "u2"),
      scored("i3", score_choice(extract_choice("[[A]]", cert), stored, false), "stored", "u3"),
      scored("i3#swapped", score_choice(extract_choice("hmm", cert), swapped, false), "swapped", "u3"),
      scored("i4", score_choice(extract_choice("", cert), stored, true), "stored", "u4"),
  };
  rows.back().failed = true;
  PairwiseAggregateOptions options;
  options.certainty = true;
  const auto ms = aggregate_pairwise(rows, 42, options);
  REQUIRE(find(ms, "accuracy"));
  CHECK(find(ms, "accuracy")->value == Approx(4.0 / 7.0));  // i1 ×2, i2 stored, i3 stored
  CHECK(find(ms, "accuracy")->n == 7);
  CHECK(find(ms, "accuracy")->ci_low.has_value());
  CHECK(find(ms, "accuracy_parsed")->value == Approx(4.0 / 5.0));
  CHECK(find(ms, "n_unparsed")->value == 1);
  CHECK(find(ms, "n_errors")->value == 1);
  CHECK(find(ms, "p_choose_A")->value == Approx(4.0 / 5.0));
  CHECK(find(ms, "n_pairs")->value == 3);
  CHECK(find(ms, "accuracy_both_orders")->value == Approx(1.0 / 3.0));
  CHECK(find(ms, "position_consistency")->value == Approx(1.0 / 3.0));
  CHECK(find(ms, "acc_longer_baseline")->value == Approx(0.0));  // "g" is the shorter one
  // Certainty: i3's stored answer has none, the unparsed one is not asked → 1 of 5 parsed.
  CHECK(find(ms, "n_no_certainty")->value == 1);
  CHECK(find(ms, "n_no_certainty")->n == 5);
  // Items with certainty: 90 ✓, 80 ✓, 60 ✓, 70 ✗.
  CHECK(find(ms, "coverage@80")->value == Approx(0.5));
  CHECK(find(ms, "sel_acc@80")->value == Approx(1.0));
  CHECK(find(ms, "coverage@60")->value == Approx(1.0));
  CHECK(find(ms, "sel_acc@70")->value == Approx(2.0 / 3.0));
  CHECK(find(ms, "sel_acc@90")->value == Approx(1.0));
  // AUROC: correct {90, 80, 60} vs wrong {70}: 1 + 1 + 0 = 2 of 3.
  CHECK(find(ms, "auroc_certainty")->value == Approx(2.0 / 3.0));
  CHECK(find(ms, "accuracy_user_bootstrap")->n == 4);
  REQUIRE(find(ms, "kappa"));
  CHECK(find(ms, "aurc"));
  CHECK(find(ms, "ece_10"));
  CHECK(find(ms, "brier"));
  CHECK_FALSE(find(ms, "auroc_logprob"));
  // Every name produced is a declared one.
  const auto names = pairwise_metric_names(options);
  for (const auto& m : ms) CHECK(std::find(names.begin(), names.end(), m.name) != names.end());
  CHECK(aggregate_pairwise({}, 1, options).empty());
}

TEST_CASE("verdict probability from token logprobs", "[pairwise]") {
  const json chat = json::parse(R"({"content": [
      {"token": "[[", "logprob": -0.01, "top_logprobs": []},
      {"token": "A", "logprob": -0.2231435513,
       "top_logprobs": [{"token": "A", "logprob": -0.2231435513}, {"token": "B", "logprob": -1.6094379124},
                        {"token": " A", "logprob": -3.0}]}]})");
  // exp(-0.223) = 0.8, exp(-1.609) = 0.2: renormalised over A/B → 0.8.
  REQUIRE(verdict_probability(chat, "A"));
  CHECK(*verdict_probability(chat, "A") == Approx(0.8).margin(1e-6));
  CHECK_FALSE(verdict_probability(chat, "B"));  // the first verdict token says A
  const json legacy = json::parse(R"({"tokens": ["B", "]]"], "token_logprobs": [-0.5, -0.1],
                                      "top_logprobs": null})");
  CHECK(*verdict_probability(legacy, "B") == Approx(std::exp(-0.5)));
  CHECK_FALSE(verdict_probability(json(), "A"));
  CHECK_FALSE(verdict_probability(json::parse(R"({"content": "oops"})"), "A"));
}

// Found by fuzz_openai_response (fuzz/corpus/fuzz_openai_response/regress-positive-logprob):
// a positive logprob (no log of a probability) came back as a "probability" exp(1) = 2.7,
// and huge ones as inf/inf = NaN, which then fed the calibration metrics.
TEST_CASE("verdict probability refuses logprobs above 0 and stays in 0..1", "[pairwise][fuzz]") {
  CHECK_FALSE(verdict_probability(json::parse(R"({"content": [{"token": "A", "logprob": 1}]})"), "A"));
  CHECK_FALSE(verdict_probability(json::parse(R"({"tokens": ["A"], "token_logprobs": [0.5]})"), "A"));
  // An alternative with a positive value is ignored; the rest still renormalises.
  const json alt = json::parse(R"({"content": [{"token": "A", "logprob": -0.2231435513,
      "top_logprobs": [{"token": "B", "logprob": 800}, {"token": "B", "logprob": -1.6094379124}]}]})");
  REQUIRE(verdict_probability(alt, "A"));
  CHECK(*verdict_probability(alt, "A") == Approx(0.8).margin(1e-6));
  const json huge = json::parse(R"({"tokens": ["A"], "token_logprobs": [-1e-300],
                                    "top_logprobs": [{"A": 1000, "B": 1000}]})");
  REQUIRE(verdict_probability(huge, "A"));
  CHECK(*verdict_probability(huge, "A") == Approx(1.0));
  // Rounding noise just above 0 reads as certainty.
  CHECK(*verdict_probability(json::parse(R"({"content": [{"token": "A", "logprob": 1e-9}]})"), "A") == 1.0);
}
