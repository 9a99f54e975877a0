// personalized-judge and PersonaFeedback end to end against the local OpenAI-compatible test
// server: the model under test is scripted to pick the better candidate wherever it is shown,
// with garbage and out-of-range certainties mixed in, and the stored scores and aggregates
// are checked.
#include <catch2/catch.hpp>

#include <fstream>

#include "harness/core/errors.h"
#include "harness/runner/runner.h"
#include "harness/store/store.h"
#include "tasks/registry.h"
#include "tests/adapters/openai_test_support.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using namespace perseval::test;

namespace {

const MetricValue* overall(const std::vector<StoredMetric>& ms, const std::string& name) {
  for (const auto& m : ms)
    if (m.slice_key.empty() && m.metric.name == name) return &m.metric;
  return nullptr;
}

// Four synthetic PRISM-shaped records; the better answer's text starts with "GOOD".
std::string write_records(const TempDir& dir) {
  std::string text;
  for (int i = 1; i <= 4; ++i) {
    const bool gold_a = i % 2 == 1;
    const std::string good = "GOOD answer " + std::to_string(i);
    const std::string other = "other answer " + std::to_string(i);
    json r{{"prompt", "(not used)"},
           {"answer", "A"},
           {"certainty", "60"},
           {"acc", gold_a},
           {"ground_truth", gold_a ? "A" : "B"},
           {"user_info", "The person is synthetic."},
           {"question", i == 4 ? "GARBAGE please" : i == 3 ? "OUT OF RANGE please" : "Question " + std::to_string(i)},
           {"asst_A", gold_a ? good : other},
           {"asst_B", gold_a ? other : good},
           {"conversation_type", "unguided"}};
    text += r.dump() + "\n";
  }
  return dir.write("judge_cases.jsonl", text);
}

// Continues the open "[[" with the position of the GOOD answer, as a judge would.
std::string scripted_judge(const json& body) {
  const std::string prompt = body["messages"].back()["content"].get<std::string>();
  if (prompt.find("GARBAGE please") != std::string::npos) return "I am not sure.";
  const bool good_is_a = prompt.find("[The Start of Assistant A's Answer]\nGOOD") != std::string::npos;
  const std::string letter = good_is_a ? "A" : "B";
  if (prompt.find("OUT OF RANGE please") != std::string::npos) return "[[" + letter + "]] [[150]]";
  return letter + "]] [[85]]";
}

RunOptions options_for(const std::string& data_dir) {
  RunOptions o;
  o.source.data_dir = data_dir;
  o.source.bundled_dir = std::string(PERSEVAL_SOURCE_DIR) + "/datasets/samples";
  o.progress = false;
  o.threads = 2;
  return o;
}

}  // namespace

TEST_CASE("personalized-judge end to end: verdict and certainty parsed separately", "[personalized-judge]") {
  TempDir dir;
  const std::string file = write_records(dir);
  OpenAITestServer server;
  server.set_responder([](const std::string&, const json& body) { return scripted_judge(body); });
  auto model = make_openai_model(fast_spec(server, "concurrency=4"));
  auto store = Store::open(dir.file("pj.db"));

  auto task = make_task(Spec::parse("personalized-judge:position=random,file=" + file));
  const auto summary = run_evaluation(*task, *model, *store, options_for(""));
  REQUIRE(summary.run.status == "finished");
  CHECK(server.requests("/v1/chat/completions") == 4);
  CHECK(overall(summary.metrics, "accuracy_all")->value == Approx(0.75));
  CHECK(overall(summary.metrics, "accuracy_all")->ci_low.has_value());
  CHECK(overall(summary.metrics, "n_no_answer")->value == 1);
  CHECK(overall(summary.metrics, "n_certainty_out_of_range")->value == 1);
  CHECK(overall(summary.metrics, "n_no_certainty")->value == 1);
  CHECK(overall(summary.metrics, "coverage@80")->value == 1.0);
  CHECK(overall(summary.metrics, "coverage@80")->n == 2);
  // Upstream rules: "I am not sure." reads as answer "I" (not A/B, dropped); 150 counts high.
  CHECK(overall(summary.metrics, "accuracy_ab")->value == 1.0);
  CHECK(overall(summary.metrics, "n_answered_ab")->value == 3);
  CHECK(overall(summary.metrics, "hi_n")->value == 3);
  for (const auto& row : store->read_samples(summary.run.run_id)) {
    INFO(row.sample_id << " " << row.output);
    if (row.output == "I am not sure.") {
      CHECK(row.parsed == "(no_answer)");
      CHECK(row.scores["correct"] == 0);
    } else {
      CHECK(row.scores["correct"] == 1);
      CHECK(row.parsed == row.target);
    }
    if (row.output.find("[[85]]") != std::string::npos) CHECK(row.scores["certainty"] == 85);
  }

  // Both orders: two requests per case; the scripted judge follows the content, so it is
  // consistent wherever it answered.
  auto both = make_task(Spec::parse("personalized-judge:both_orders=true,file=judge_cases.jsonl"));
  const auto twice = run_evaluation(*both, *model, *store, options_for(dir.path().string()));
  REQUIRE(twice.run.status == "finished");
  CHECK(overall(twice.metrics, "n_pairs")->value == 4);
  CHECK(overall(twice.metrics, "position_consistency")->value == Approx(0.75));
  CHECK(overall(twice.metrics, "accuracy_both_orders")->value == Approx(0.75));
}

TEST_CASE("personalized-judge: a missing file is a clear input error", "[personalized-judge]") {
  auto task = make_task(Spec::parse("personalized-judge"));
  CHECK_THROWS_WITH(task->data_files({}), Catch::Contains("needs file=PATH"));
  CHECK_THROWS_AS(make_task(Spec::parse("personalized-judge:prompt=fancy")), InputError);
  CHECK_THROWS_AS(make_task(Spec::parse("personalized-judge:position=left")), InputError);
}

TEST_CASE("personafeedback end to end through the OpenAI adapter", "[personafeedback]") {
  TempDir dir;
  OpenAITestServer server;
  // A position-biased model: always the first response.
  server.set_responder([](const std::string&, const json&) { return std::string("[[A]]"); });
  auto model = make_openai_model(fast_spec(server, "concurrency=4"));
  auto store = Store::open(dir.file("pf.db"));
  auto task = make_task(Spec::parse("personafeedback:order=both"));
  const auto summary = run_evaluation(*task, *model, *store, options_for(""));
  REQUIRE(summary.run.status == "finished");
  CHECK(server.requests("/v1/chat/completions") == 16);
  CHECK(overall(summary.metrics, "accuracy")->value == 0.5);
  CHECK(overall(summary.metrics, "p_choose_A")->value == 1.0);
  CHECK(overall(summary.metrics, "position_consistency")->value == 0.0);
}
