// Loading PERSONAMEM: the bundled fixtures, skipped rows with counts and reasons, schema
// checks, and malformed rows reported with file, line and field.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "harness/core/errors.h"
#include "tasks/personamem/personamem_loader.h"
#include "tasks/registry.h"
#include "tests/tasks/personamem_test_support.h"

using namespace perseval;
using namespace perseval::personamem;
using namespace perseval::personamem_test;

namespace {

struct Loaded {
  std::vector<Sample> samples;
  json report;
  std::vector<std::string> warnings;
};

Loaded load(const std::string& questions, const std::string& contexts,
            ContextMode mode = ContextMode::full) {
  Loaded out;
  LoaderOptions o;
  o.questions_path = questions;
  o.contexts_path = contexts;
  o.context = mode;
  o.warn = [&](const std::string& w) { out.warnings.push_back(w); };
  out.report = load_questions(o, [&](Sample&& s) {
    out.samples.push_back(std::move(s));
    return true;
  });
  return out;
}

std::string load_error(const std::string& questions, const std::string& contexts) {
  try {
    load(questions, contexts);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string two_contexts() {
  return context_line("ctx-1", synthetic_conversation("One", 12)) +
         context_line("ctx-2", synthetic_conversation("Two", 6));
}

Row row(const std::string& id) {
  Row r;
  r.question_id = id;
  return r;
}

}  // namespace

TEST_CASE("loader: the bundled fixtures load completely", "[personamem][loader]") {
  const auto l = load(bundled_questions(), bundled_contexts());
  REQUIRE(l.samples.size() == 14);
  CHECK(l.warnings.empty());
  const Sample& s = l.samples[0];
  CHECK(s.id == "synthetic-pm-0001");
  CHECK(s.input["context"].size() == 14);
  CHECK(s.input["options"] == json::array({"A chess club that taught opening strategy.",
                                           "A coding club where teens built budgeting apps.",
                                           "A money basics club where teens learned about budgets.",
                                           "A reading circle about famous entrepreneurs and their "
                                           "biographies, with weekly discussions."}));
  CHECK(s.input["row"]["end_index_in_shared_context"] == "14");
  CHECK(s.input["row"].size() == 15);  // every column, as text
  CHECK(s.target == json{{"correct_answer", "(c)"}, {"letter", "c"}});
  CHECK(l.report["rows"] == 14);
  CHECK(l.report["delivered"] == 14);
  CHECK(l.report["contexts_indexed"] == 3);
  CHECK(l.report["context_lines_read"] == 3);  // each conversation read once
  CHECK(l.report["options_unlabelled"] == 0);
  // The stray quote after "(a) " survives parsing.
  CHECK(l.samples[4].input["options"][0].get<std::string>().rfind("\"How about", 0) == 0);
}

TEST_CASE("loader: negative end indexes and unknown contexts are skipped and counted",
          "[personamem][loader]") {
  TempDir dir;
  Row negative = row("neg");
  negative.end_index = "-2";
  Row unknown = row("unk");
  unknown.context_id = "ctx-404";
  Row beyond = row("far");
  beyond.context_id = "ctx-2";
  beyond.end_index = "50";
  Row weird = row("weird");
  weird.question_type = "brand_new_type";
  const auto q = dir.write("q.csv", questions_csv({row("ok"), negative, unknown, beyond, weird}));
  const auto c = dir.write("c.jsonl", two_contexts());
  const auto l = load(q, c);
  REQUIRE(l.samples.size() == 3);
  CHECK(l.samples[0].id == "ok");
  CHECK(l.samples[0].input["context"].size() == 3);
  CHECK(l.samples[1].input["context"].size() == 6);  // end beyond the conversation: all of it
  CHECK(l.samples[2].slices.at("type") == "brand_new_type");
  CHECK(l.report["rows"] == 5);
  CHECK(l.report["skipped"] == json{{"negative_end_index", 1}, {"unknown_context_id", 1}});
  CHECK(l.report["skipped_examples"] ==
        json::array({{{"line", 3}, {"question_id", "neg"}, {"reason", "negative_end_index"}},
                     {{"line", 4}, {"question_id", "unk"}, {"reason", "unknown_context_id"}}}));
  CHECK(l.report["end_index_beyond_context"] == 1);
  CHECK(l.report["unknown_question_types"] == json{{"brand_new_type", 1}});
  REQUIRE(l.warnings.size() == 2);
  CHECK_THAT(
      l.warnings[0],
      Catch::Contains("skipped 2 of 5 questions (1 negative_end_index, 1 unknown_context_id)"));
  CHECK_THAT(l.warnings[1], Catch::Contains("brand_new_type (1)"));

  // The same questions with context=none: the same skips, no conversation read.
  const auto none = load(q, c, ContextMode::none);
  CHECK(none.samples.size() == 3);
  CHECK(none.samples[0].input["context"].empty());
  CHECK(none.report["context_lines_read"] == 0);
  CHECK(none.report["skipped"] == l.report["skipped"]);
}

TEST_CASE("loader: the task keeps the report for the run notes", "[personamem][loader]") {
  TempDir dir;
  Row negative = row("neg");
  negative.end_index = "-1";
  const auto q = dir.write("q.csv", questions_csv({row("ok"), negative}));
  const auto c = dir.write("c.jsonl", two_contexts());
  const auto task = make_task(Spec::parse("personamem:questions=" + q + ",contexts=" + c));
  CHECK(task->load_report().empty());
  CHECK(load_all(*task, DataSource{}).size() == 1);
  const json report = task->load_report();
  CHECK(report["skipped"]["negative_end_index"] == 1);
  CHECK(report["questions_file"] == q);
}

TEST_CASE("loader: optional and extra columns", "[personamem][loader]") {
  TempDir dir;
  auto header = v1_header();
  header.push_back("stereotypical");
  header.push_back("note");
  auto fields = row("s1").fields();
  fields.push_back("Yes");
  fields.push_back("extra, kept");
  const auto q = dir.write("q.csv", csv_line(header) + csv_line(fields));
  const auto l = load(q, dir.write("c.jsonl", two_contexts()));
  REQUIRE(l.samples.size() == 1);
  CHECK(l.samples[0].slices.at("stereotypical") == "Yes");
  CHECK(l.samples[0].input["row"]["note"] == "extra, kept");
}

TEST_CASE("loader: malformed rows name the file, the line and the field", "[personamem][loader]") {
  TempDir dir;
  const auto c = dir.write("c.jsonl", two_contexts());
  auto error_for = [&](const Row& bad) {
    return load_error(dir.write("q.csv", questions_csv({row("fine"), bad})), c);
  };
  Row r = row("x1");
  r.options = "['(a) one' '(b) two']";
  CHECK_THAT(
      error_for(r),
      Catch::EndsWith(
          "q.csv:3: question_id=x1: field all_options: not a list of strings: expected ',' or ']' "
          "after element 1 at character 12"));
  r = row("x2");
  r.options = "(a) one, (b) two";
  CHECK_THAT(
      error_for(r),
      Catch::Contains(
          "q.csv:3: question_id=x2: field all_options: not a list of strings: expected '['"));
  r = row("x3");
  r.end_index = "12.5";
  CHECK_THAT(error_for(r),
             Catch::Contains("q.csv:3: question_id=x3: field end_index_in_shared_context: expected "
                             "an integer, found \"12.5\""));
  r = row("x4");
  r.correct = "(e)";
  CHECK_THAT(error_for(r), Catch::Contains("q.csv:3: question_id=x4: field correct_answer: "
                                           "expected (a), (b), (c) or (d), found \"(e)\""));
  r = row("");
  CHECK_THAT(error_for(r), Catch::Contains("q.csv:3: field question_id: empty"));
  r = row("x5");
  r.context_id = "";
  CHECK_THAT(error_for(r),
             Catch::Contains("q.csv:3: question_id=x5: field shared_context_id: empty"));
  CHECK_THAT(error_for(row("fine")),
             Catch::Contains(
                 "q.csv:3: question_id=fine: field question_id: repeated; first used on line 2"));
  r = row("x6");
  r.question = "line one\nline two";  // a quoted multi-line field moves the next record's line
  CHECK(load_error(dir.write("q.csv", questions_csv({r, row("x7"),
                                                     [] {
                                                       Row b = row("x8");
                                                       b.correct = "?";
                                                       return b;
                                                     }()})),
                   c)
            .find("q.csv:5: question_id=x8: field correct_answer") != std::string::npos);

  CHECK_THAT(
      load_error(dir.write("q.csv", csv_line(v1_header()) + "7,short,row\n"), c),
      Catch::Contains("q.csv:2: 3 fields where the header has 15 (column topic is missing)"));
  CHECK_THAT(load_error(dir.write("q.csv", csv_line(v1_header()) + "7,\"open\n"), c),
             Catch::Contains("q.csv:2: a quoted field is not closed"));
  CHECK_THAT(load_error(dir.file("nope.csv"), c), Catch::Contains("nope.csv: cannot be read"));
}

TEST_CASE("loader: other schemas are refused with what they are", "[personamem][loader]") {
  TempDir dir;
  const auto c = dir.write("c.jsonl", two_contexts());
  CHECK_THAT(
      load_error(dir.write("v2.csv", "persona_id,user_query,correct_answer,incorrect_answers\n"),
                 c),
      Catch::Contains("v2.csv:1: this looks like a PersonaMem-v2 file"));
  CHECK_THAT(load_error(dir.write("v2.parquet", std::string("PAR1\0\0\0", 7)), c),
             Catch::Contains("this is a Parquet file"));
  CHECK_THAT(
      load_error(dir.write("old.csv", "question_id,question,question_type,correct_answer\n"), c),
      Catch::Contains("old.csv:1: this looks like a pre-release PersonaMem CSV"));
  CHECK_THAT(load_error(dir.write("cols.csv", "persona_id,question_id,question_type\n"), c),
             Catch::Contains("cols.csv:1: missing columns topic, context_length_in_tokens"));
  CHECK_THAT(load_error(dir.write("empty.csv", ""), c),
             Catch::Contains("empty.csv:1: the file is empty"));
}

TEST_CASE("loader: stops as soon as the sink asks", "[personamem][loader]") {
  LoaderOptions o;
  o.questions_path = bundled_questions();
  o.contexts_path = bundled_contexts();
  int seen = 0;
  const json report = load_questions(o, [&](Sample&&) { return ++seen < 3; });
  CHECK(seen == 3);
  CHECK(report["stopped_early"] == true);
  CHECK(report["rows"] == 3);
}

TEST_CASE("loader: the real 42-row sample with synthetic contexts", "[personamem][loader][real]") {
  if (!real_sample_present()) {
    WARN("../shared/data/personamem is absent; skipping the real-sample test");
    return;
  }
  TempDir dir;
  const auto contexts = dir.write("shared_contexts_32k.jsonl", real_sample_contexts());
  const auto l = load(real_sample_csv(), contexts);
  REQUIRE(l.samples.size() == 42);
  CHECK(l.warnings.empty());
  CHECK(l.report["options_not_four"] == 0);
  CHECK(l.report["options_unlabelled"] == 0);

  std::map<std::string, int> raw, gold, distance;
  std::set<long long> ends4, ends5;
  int json_rows = 0;
  bool stray_quote = false;
  for (const auto& s : l.samples) {
    ++raw[s.slices.at("raw_type")];
    ++gold[s.target["correct_answer"].get<std::string>()];
    ++distance[s.slices.at("distance_sessions")];
    const std::string cell = s.input["row"]["all_options"];
    if (json::accept(cell)) ++json_rows;
    CHECK(s.input["options"].size() == 4);
    for (const auto& o : s.input["options"])
      stray_quote = stray_quote ||
                    o.get<std::string>().rfind("\"How about making traditional tacos?", 0) == 0;
    const long long end =
        std::stoll(s.input["row"]["end_index_in_shared_context"].get<std::string>());
    CHECK(s.input["context"].size() == static_cast<size_t>(end));
    (s.user_id == "4" ? ends4 : ends5).insert(end);
  }
  CHECK(raw == std::map<std::string, int>{{"track_full_preference_evolution", 13},
                                          {"suggest_new_ideas", 9},
                                          {"recalling_the_reasons_behind_previous_updates", 7},
                                          {"provide_preference_aligned_recommendations", 4},
                                          {"recall_user_shared_facts", 3},
                                          {"recalling_facts_mentioned_by_the_user", 3},
                                          {"generalizing_to_new_scenarios", 3}});
  CHECK(json_rows == 18);
  CHECK(stray_quote);
  CHECK(gold == std::map<std::string, int>{{"(a)", 12}, {"(b)", 11}, {"(c)", 12}, {"(d)", 7}});
  CHECK(distance == std::map<std::string, int>{{"1", 4}, {"2", 8}, {"3", 9}, {"4", 19}, {"5", 2}});
  CHECK(ends4 == std::set<long long>{98, 104, 105, 108, 110, 115});
  CHECK(*ends5.begin() == 181);
  CHECK(*ends5.rbegin() == 204);
  CHECK(l.report["context_lines_read"] == 2);
}

// Found by fuzz_personamem_load (minimised input in fuzz/corpus/fuzz_personamem_load/
// regress-invalid-utf8): a question cell that is not UTF-8 reached the rendered prompt and
// made the request-cache key throw json type_error.316 instead of a clean InputError.
TEST_CASE("loader: a cell that is not valid UTF-8 is refused with its file and line",
          "[personamem][loader][fuzz]") {
  TempDir dir;
  const auto c = dir.write("c.jsonl", two_contexts());
  Row r = row("x1");
  r.question = "caf\xE9?";  // Latin-1, not UTF-8
  CHECK_THAT(load_error(dir.write("q.csv", questions_csv({row("fine"), r})), c),
             Catch::Contains("q.csv:3: field 11 is not valid UTF-8 (byte 3 of the field)"));
  r.question = "caf\xC3\xA9?";  // the same text in UTF-8 loads
  CHECK(load_error(dir.write("q.csv", questions_csv({row("fine"), r})), c).empty());
}
