// PERSONAMEM scoring: per sample, accuracy (official-compatible) against accuracy_corrected
// with failed calls, the counts, intervals, and the slice labels (canonical types per size).
#include <catch2/catch.hpp>
#include <map>

#include "tasks/personamem/personamem_scoring.h"
#include "tasks/personamem/question_sample.h"
#include "tasks/personamem/question_types.h"
#include "tasks/registry.h"
#include "tests/tasks/personamem_test_support.h"

using namespace perseval;
using namespace perseval::personamem;
using namespace perseval::personamem_test;

namespace {

ScoredSample scored(const Task& task, const std::string& persona, const std::string& gold,
                    const std::string& response, bool failed) {
  Sample sample;
  sample.id = "q-" + persona + "-" + response;
  sample.target = {{"correct_answer", gold}, {"letter", gold.substr(1, 1)}};
  Completion c;
  c.text = response;
  if (failed) c.error = "HTTP 500";
  ScoredSample s;
  s.sample_id = sample.id;
  s.user_id = persona;
  s.failed = failed;
  s.scores = task.score(sample, c, {});
  return s;
}

std::map<std::string, MetricValue> by_name(const std::vector<MetricValue>& metrics) {
  std::map<std::string, MetricValue> out;
  for (const auto& m : metrics) out[m.name] = m;
  return out;
}

}  // namespace

TEST_CASE("scoring: per-sample values and the parsed letters", "[personamem][scoring]") {
  auto s = score_response("<final_answer> (b)", "(b)", false);
  CHECK(s.values ==
        std::map<std::string, double>{{"correct", 1}, {"failed", 0}, {"unparseable", 0}});
  CHECK(s.parsed_answer == "(b)");
  s = score_response("maybe (a) or (c)", "(b)", false);
  CHECK(s.values.at("correct") == 0);
  CHECK(s.parsed_answer == "(a)(c)");
  s = score_response("I cannot tell.", "(b)", false);
  CHECK(s.values.at("unparseable") == 1);
  CHECK(s.parsed_answer.empty());
  s = score_response("(b)", "(b)", true);  // a failed call is never read
  CHECK(s.values ==
        std::map<std::string, double>{{"correct", 0}, {"failed", 1}, {"unparseable", 0}});
}

TEST_CASE("scoring: accuracy leaves failed calls out, accuracy_corrected counts them wrong",
          "[personamem][scoring]") {
  const auto task = make_task(Spec::parse("personamem"));
  const std::vector<ScoredSample> samples = {
      scored(*task, "p1", "(a)", "<final_answer>(a)", false),  // correct
      scored(*task, "p1", "(b)", "<final_answer>(c)", false),  // wrong
      scored(*task, "p2", "(c)", "no idea", false),            // unparseable: wrong
      scored(*task, "p2", "(d)", "", true),                    // failed call
      scored(*task, "p2", "(d)", "(d)", false),                // correct
  };
  auto m = by_name(task->aggregate(samples, 7));
  CHECK(task->info().metrics == std::vector<std::string>{"accuracy", "accuracy_corrected",
                                                         "accuracy_persona_bootstrap", "n_failed",
                                                         "n_unparseable"});
  CHECK(m.at("accuracy").value == Approx(0.5).epsilon(1e-15));
  CHECK(m.at("accuracy").n == 4);
  // Wilson 95% for 2/4 and 2/5, computed by hand (z = 1.959963984540054).
  CHECK(*m.at("accuracy").ci_low == Approx(0.150038989152150).margin(1e-12));
  CHECK(*m.at("accuracy").ci_high == Approx(0.849961010847850).margin(1e-12));
  CHECK(m.at("accuracy_corrected").value == Approx(0.4).epsilon(1e-15));
  CHECK(m.at("accuracy_corrected").n == 5);
  CHECK(*m.at("accuracy_corrected").ci_low == Approx(0.117620774232648).margin(1e-12));
  CHECK(*m.at("accuracy_corrected").ci_high == Approx(0.769275718723987).margin(1e-12));
  CHECK(m.at("n_failed").value == 1);
  CHECK(m.at("n_failed").n == 5);
  CHECK(m.at("n_unparseable").value == 1);
  CHECK(m.at("n_unparseable").n == 4);
  const auto& personas = m.at("accuracy_persona_bootstrap");
  CHECK(personas.value == Approx(0.5).epsilon(1e-15));
  CHECK(personas.n == 2);
  REQUIRE(personas.ci_low);
  CHECK(*personas.ci_low <= 0.5);
  CHECK(*personas.ci_high >= 0.5);
  // Seeded: the same seed gives the same interval.
  CHECK(*by_name(task->aggregate(samples, 7)).at("accuracy_persona_bootstrap").ci_low ==
        *personas.ci_low);

  // One persona: no persona bootstrap. Every call failed: no accuracy at all.
  const std::vector<ScoredSample> one = {samples[0], samples[1]};
  CHECK_FALSE(by_name(task->aggregate(one, 7)).count("accuracy_persona_bootstrap"));
  const std::vector<ScoredSample> failed = {samples[3]};
  auto f = by_name(task->aggregate(failed, 7));
  CHECK_FALSE(f.count("accuracy"));
  CHECK(f.at("accuracy_corrected").value == 0);
  CHECK(f.at("n_failed").value == 1);
  CHECK(task->aggregate({}, 7).empty());
}

TEST_CASE("scoring: canonical question types per size", "[personamem][scoring]") {
  // 32k: the ambiguous recall label follows the record format unless type_map=literal.
  CHECK(canonical_type("32k", "recall_user_shared_facts") == "acknowledge_latest_user_preferences");
  CHECK(canonical_type("32k", "recall_user_shared_facts", TypeMap::literal) ==
        "recall_user_shared_facts");
  CHECK(canonical_type("32k", "recalling_facts_mentioned_by_the_user") ==
        "recall_user_shared_facts");
  CHECK(canonical_type("32k", "recalling_the_reasons_behind_previous_updates") ==
        "revisit_reasons_behind_preference_updates");
  CHECK(canonical_type("32k", "generalizing_to_new_scenarios") == "generalize_to_new_scenarios");
  // 128k and 1M use the paper's slugs; 1M spells track differently.
  CHECK(canonical_type("128k", "recall_user_shared_facts") == "recall_user_shared_facts");
  CHECK(canonical_type("128k", "acknowledge_latest_user_preferences") ==
        "acknowledge_latest_user_preferences");
  CHECK(canonical_type("1M", "track_full_preference_updates") == "track_full_preference_evolution");
  CHECK_FALSE(canonical_type("128k", "track_full_preference_updates"));
  // Pre-release generation-code names map everywhere; unknown labels do not.
  CHECK(canonical_type("128k", "identifying_new_things_not_mentioned_by_the_user") ==
        "suggest_new_ideas");
  CHECK(canonical_type("1M", "recommendation_aligned_with_users_latest_preferences") ==
        "provide_preference_aligned_recommendations");
  CHECK_FALSE(canonical_type("32k", "brand_new_type"));
  for (const auto& slug : canonical_types()) CHECK(canonical_type("128k", slug) == slug);
}

TEST_CASE("scoring: every sample carries its slices", "[personamem][scoring]") {
  const auto task = make_task(Spec::parse("personamem"));
  const auto samples = load_all(*task, bundled_source());
  REQUIRE(samples.size() == 14);
  const Sample& first = samples[0];
  CHECK(first.slices ==
        std::map<std::string, std::string>{{"size", "32k"},
                                           {"type", "recall_user_shared_facts"},
                                           {"raw_type", "recalling_facts_mentioned_by_the_user"},
                                           {"topic", "financialConsultation"},
                                           {"distance_sessions", "2"},
                                           {"context_tokens", "<8k"},
                                           {"persona", "100"}});
  CHECK(first.user_id == "100");
  CHECK(samples[1].slices.at("type") == "acknowledge_latest_user_preferences");
  std::map<std::string, int> types;
  for (const auto& s : samples) ++types[s.slices.at("type")];
  CHECK(types.size() == 7);  // every canonical type twice
  for (const auto& [type, n] : types) CHECK(n == 2);
  const auto literal = make_task(Spec::parse("personamem:type_map=literal"));
  CHECK(load_all(*literal, bundled_source())[1].slices.at("type") == "recall_user_shared_facts");
  const auto& keys = task->info().slice_keys;
  for (const char* key :
       {"type", "raw_type", "topic", "distance_sessions", "context_tokens", "size"})
    CHECK(std::find(keys.begin(), keys.end(), key) != keys.end());
}

TEST_CASE("scoring: token-count buckets", "[personamem][scoring]") {
  CHECK(context_tokens_bucket("7999") == "<8k");
  CHECK(context_tokens_bucket("8000") == "8k-16k");
  CHECK(context_tokens_bucket("29530") == "16k-32k");
  CHECK(context_tokens_bucket("127999") == "64k-128k");
  CHECK(context_tokens_bucket("999999") == "512k-1M");
  CHECK(context_tokens_bucket("1000000") == ">=1M");
  CHECK(context_tokens_bucket("n/a") == "unknown");
  CHECK(parse_python_int(" +1_000 ") == 1000);
  CHECK(parse_python_int("-17") == -17);
  CHECK_FALSE(parse_python_int("1__0"));
  CHECK_FALSE(parse_python_int("_1"));
  CHECK_FALSE(parse_python_int("1_"));
  CHECK_FALSE(parse_python_int("12.0"));
  CHECK_FALSE(parse_python_int(""));
}
