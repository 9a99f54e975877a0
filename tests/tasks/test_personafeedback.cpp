// PersonaFeedback: layout and join, persona rendering, prompt and position, scoring through
// the pairwise piece, negative fixtures, reward mode, and an offline run with the baselines.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>

#include "adapters/registry.h"
#include "harness/core/errors.h"
#include "harness/runner/runner.h"
#include "tasks/personafeedback/pf_persona.h"
#include "tasks/personafeedback/pf_prompt.h"
#include "tasks/personafeedback/pf_scoring.h"
#include "tasks/registry.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using namespace perseval::personafeedback;
using perseval::test::TempDir;

namespace {

const std::string kSamples = std::string(PERSEVAL_SOURCE_DIR) + "/datasets/samples";

DataSource bundled() {
  DataSource s;
  s.bundled_dir = kSamples;
  return s;
}

std::vector<Sample> load_all(const Task& task, const DataSource& source, uint64_t seed = 3) {
  std::vector<Sample> out;
  task.load(source, [&](Sample&& s) {
    s.seed = seed + out.size();
    out.push_back(std::move(s));
    return true;
  });
  return out;
}

const MetricValue* find(const std::vector<MetricValue>& ms, const std::string& name) {
  for (const auto& m : ms)
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<MetricValue> score_all(const Task& task, const std::vector<Sample>& samples,
                                   const std::function<std::string(const Sample&, const Request&)>& answer) {
  std::vector<ScoredSample> rows;
  for (const auto& s : samples) {
    Completion c;
    c.text = answer(s, task.render(s));
    ScoredSample row;
    row.sample_id = s.id;
    row.user_id = s.user_id;
    row.slices = s.slices;
    row.scores = task.score(s, c, {});
    rows.push_back(std::move(row));
  }
  return task.aggregate(rows, 5);
}

// A copy of the bundled layout with one data file replaced, for the negative fixtures.
std::string layout_with(const TempDir& dir, const std::string& relative, const std::string& replacement) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(dir.file("pf")) / "personafeedback";
  fs::create_directories(root);
  fs::copy(kSamples + "/personafeedback", root, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  fs::copy_file(kSamples + "/personafeedback/negative/" + replacement, root / relative,
                fs::copy_options::overwrite_existing);
  return dir.file("pf");
}

}  // namespace

TEST_CASE("personafeedback loads the six files joined to personas by line", "[personafeedback]") {
  const auto task = make_task(Spec::parse("personafeedback"));
  CHECK(task->info().name ==
        "personafeedback:certainty=none,mode=choice,order=single,persona_format=flat,persona_join=line,"
        "position=random,tier=all,track=all");
  CHECK(task->data_files(bundled()).size() == 7);
  const auto samples = load_all(*task, bundled());
  REQUIRE(samples.size() == 8);
  CHECK(samples[0].id == "general/easy/1");
  CHECK(samples[0].slices.at("cell") == "general/easy");
  CHECK(samples.back().id == "specific/hard/1");
  CHECK(samples.back().slices.at("track") == "specific");
  CHECK(samples[2].input["extra"]["annotator_note"] == "synthetic extra field");
  CHECK(samples[0].user_id == "1");
  const json report = task->load_report();
  CHECK(report["personas"] == 3);
  CHECK(report["personas_used"] == 3);
  CHECK(report["rows"] == 8);
  CHECK(report["files"][3]["directory"] == "spedific");
  CHECK(report["persona_join"] == "line");

  const auto hard = make_task(Spec::parse("personafeedback:track=specific,tier=hard+easy"));
  CHECK(hard->info().name.find("tier=easy+hard,track=specific") != std::string::npos);
  CHECK(load_all(*hard, bundled()).size() == 2);
  CHECK_THROWS_AS(make_task(Spec::parse("personafeedback:tier=extreme")), InputError);
  CHECK_THROWS_AS(make_task(Spec::parse("personafeedback:mode=reward,order=both")), InputError);
  CHECK_THROWS_AS(make_task(Spec::parse("personafeedback:persona_join=field:")), InputError);
}

TEST_CASE("personafeedback persona rendering (flat and json)", "[personafeedback]") {
  const auto p1 = nlohmann::ordered_json::parse(
      R"({"Name": "Synthetic Persona 1", "Demographics": {"Age": "34", "Occupation": "night-shift nurse"},
          "Personality": {"Traits": ["practical", "direct"]},
          "Preference": {"Food": {"Diet": "vegetarian", "Cuisines": ["Indonesian", " ", "Turkish"]}, "Tech": ""},
          "Bias": "none stated", "Extra": "ignored"})");
  CHECK(render_persona_flat(p1) ==
        "User persona:\n- Name: Synthetic Persona 1\n- Demographics.Age: 34\n- Demographics.Occupation: night-shift "
        "nurse\n- Personality.Traits: practical, direct\n- Preference.Food.Diet: vegetarian\n"
        "- Preference.Food.Cuisines: Indonesian, Turkish\n- Bias: none stated");
  CHECK(render_persona_json(p1).rfind("{\n  \"Name\": \"Synthetic Persona 1\",\n  \"Demographics\"", 0) == 0);
  const auto task = make_task(Spec::parse("personafeedback:persona_format=json"));
  CHECK(load_all(*task, bundled())[0].input["persona"].get<std::string>().rfind("{\n", 0) == 0);
}

TEST_CASE("personafeedback prompt and seeded position", "[personafeedback]") {
  const std::string p = render_choice_prompt("PERSONA", "Q?", "first", "second", false);
  CHECK(p ==
        "Given the user persona below, select the response that better fits this user's persona and request. "
        "Answer with \"[[A]]\" or \"[[B]]\" only.\n\n[User Persona]\nPERSONA\n\n[User Question]\nQ?\n\n"
        "[The Start of Response A]\nfirst\n[The End of Response A]\n\n[The Start of Response B]\nsecond\n"
        "[The End of Response B]");
  const std::string with_certainty = render_choice_prompt("P", "Q", "a", "b", true);
  CHECK(with_certainty.find("81--100 (Highly Confident)") != std::string::npos);
  CHECK(with_certainty.find("only.") == std::string::npos);

  const auto task = make_task(Spec::parse("personafeedback"));
  int gold_a = 0;
  std::vector<Sample> all;
  for (uint64_t seed = 0; seed < 40; ++seed)
    for (auto& s : load_all(*task, bundled(), seed * 100)) all.push_back(std::move(s));
  for (const auto& s : all) {
    const Request r = task->render(s);
    const std::string gold = task->target_text(s);
    const std::string& chosen = s.target["chosen"].get_ref<const std::string&>();
    const auto a_at = r.messages[0].content.find("[The Start of Response A]\n" + chosen + "\n");
    CHECK((gold == "A") == (a_at != std::string::npos));
    gold_a += gold == "A";
    // The same sample renders the same way every time.
    CHECK(task->render(s).messages[0].content == r.messages[0].content);
    REQUIRE(r.hints.has_value());
    CHECK(r.hints->choices == std::vector<std::string>{"[[A]]", "[[B]]"});
  }
  CHECK(gold_a > 100);  // of 320: both positions occur often
  CHECK(gold_a < 220);

  // alternate: gold first on even global rows, as the loader of §2.3.
  const auto alternate = make_task(Spec::parse("personafeedback:position=alternate"));
  const auto rows = load_all(*alternate, bundled());
  for (size_t i = 0; i < rows.size(); ++i) CHECK(alternate->target_text(rows[i]) == (i % 2 == 0 ? "A" : "B"));
}

TEST_CASE("personafeedback scoring: perfect, position-biased, length baseline, both orders", "[personafeedback]") {
  const auto task = make_task(Spec::parse("personafeedback"));
  const auto samples = load_all(*task, bundled());
  const auto perfect = score_all(*task, samples, [&](const Sample& s, const Request&) {
    return "I choose [[" + task->target_text(s) + "]]";
  });
  CHECK(find(perfect, "accuracy")->value == 1.0);
  CHECK(find(perfect, "accuracy_macro_tiers")->value == 1.0);
  CHECK(find(perfect, "accuracy_macro_tiers")->n == 6);
  const auto always_a = score_all(*task, samples, [](const Sample&, const Request&) { return "[[A]]"; });
  CHECK(find(always_a, "p_choose_A")->value == 1.0);
  const auto junk = score_all(*task, samples, [](const Sample&, const Request&) { return "Both are fine."; });
  CHECK(find(junk, "accuracy")->value == 0.0);
  CHECK(find(junk, "n_unparsed")->value == 8);
  const auto lenient = score_all(*task, samples, [&](const Sample& s, const Request&) {
    return "Answer: " + task->target_text(s);
  });
  CHECK(find(lenient, "accuracy")->value == 1.0);
  CHECK(find(lenient, "n_lenient_parse")->value == 8);
  // The longest-response baseline equals the length control.
  const auto longest = score_all(*task, samples, [](const Sample&, const Request& r) {
    return r.hints->choice_texts[0].size() >= r.hints->choice_texts[1].size() ? "[[A]]" : "[[B]]";
  });
  CHECK(find(longest, "accuracy")->value == Approx(find(longest, "acc_longer_baseline")->value));

  const auto both = make_task(Spec::parse("personafeedback:order=both"));
  const auto doubled = load_all(*both, bundled());
  REQUIRE(doubled.size() == 16);
  CHECK(doubled[1].id == "general/easy/1#swapped");
  const auto biased = score_all(*both, doubled, [](const Sample&, const Request&) { return "[[A]]"; });
  CHECK(find(biased, "accuracy")->value == 0.5);
  CHECK(find(biased, "position_consistency")->value == 0.0);
  CHECK(find(biased, "accuracy_both_orders")->value == 0.0);
  CHECK(find(biased, "n_pairs")->value == 8);
  const auto steady = score_all(*both, doubled, [&](const Sample& s, const Request&) {
    return "[[" + both->target_text(s) + "]]";
  });
  CHECK(find(steady, "position_consistency")->value == 1.0);
}

TEST_CASE("personafeedback certainty variant feeds the judge-uncertainty metrics", "[personafeedback]") {
  const auto task = make_task(Spec::parse("personafeedback:certainty=1-100"));
  CHECK(task->info().gen.max_tokens == 64);
  const auto samples = load_all(*task, bundled());
  int i = 0;
  const auto ms = score_all(*task, samples, [&](const Sample& s, const Request&) {
    const bool right = i++ % 2 == 0;
    const std::string letter = right ? task->target_text(s) : (task->target_text(s) == "A" ? "B" : "A");
    return "[[" + letter + "]] [[" + (right ? "90" : "40") + "]]";
  });
  CHECK(find(ms, "accuracy")->value == 0.5);
  CHECK(find(ms, "coverage@80")->value == 0.5);
  CHECK(find(ms, "sel_acc@80")->value == 1.0);
  CHECK(find(ms, "auroc_certainty")->value == 1.0);
  CHECK(find(ms, "n_no_certainty")->value == 0);
}

TEST_CASE("personafeedback negative fixtures fail with file, line and field", "[personafeedback]") {
  TempDir dir;
  auto error_of = [&](const std::string& relative, const std::string& replacement) {
    DataSource source;
    source.data_dir = layout_with(dir, relative, replacement);
    const auto task = make_task(Spec::parse("personafeedback"));
    try {
      load_all(*task, source);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string rejected = error_of("data/general/hard.jsonl", "rejected_key.jsonl");
  CHECK_THAT(rejected, Catch::Contains("general/hard.jsonl:1"));
  CHECK_THAT(rejected, Catch::Contains("field 'reject' missing (found 'rejected'"));
  const std::string unknown = error_of("data/spedific/easy.jsonl", "unknown_user.jsonl");
  CHECK_THAT(unknown, Catch::Contains("spedific/easy.jsonl:2"));
  CHECK_THAT(unknown, Catch::Contains("user_id '4' names no persona"));
  CHECK_THAT(unknown, Catch::Contains("3 personas"));
  // A missing file is named with the expected layout.
  DataSource nowhere;
  nowhere.data_dir = dir.file("empty");
  try {
    make_task(Spec::parse("personafeedback"))->data_files(nowhere);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("general/easy.jsonl: not found"));
  }
}

TEST_CASE("personafeedback reward mode picks the higher score, ties counted", "[personafeedback]") {
  const auto task = make_task(Spec::parse("personafeedback:mode=reward,track=general,tier=easy"));
  const auto samples = load_all(*task, bundled());
  REQUIRE(samples.size() == 4);
  CHECK(samples[0].id == "general/easy/1#chosen");
  const Request r = task->render(samples[1]);
  REQUIRE(r.messages.size() == 2);
  CHECK(r.messages[1].role == "assistant");
  CHECK(r.messages[1].content == samples[1].input["response"]);
  CHECK_FALSE(r.hints.has_value());
  // Item 1: chosen 0.9 > reject 0.2 (right). Item 2: a tie.
  const std::map<std::string, std::string> replies = {{"general/easy/1#chosen", " 0.9\n"},
                                                      {"general/easy/1#reject", "0.2"},
                                                      {"general/easy/2#chosen", "1"},
                                                      {"general/easy/2#reject", "1.0"}};
  const auto ms = score_all(*task, samples, [&](const Sample& s, const Request&) { return replies.at(s.id); });
  CHECK(find(ms, "accuracy")->value == 0.5);
  CHECK(find(ms, "accuracy")->n == 2);
  CHECK(find(ms, "n_ties")->value == 1);
  CHECK(score_reward_reply("high", true, false).values.at("unparsed") == 1);
  CHECK(score_reward_reply("nan", true, false).values.at("unparsed") == 1);
  CHECK(score_reward_reply("-2.5e1", false, false).values.at("reward") == -25.0);
}

TEST_CASE("personafeedback runs offline with the baselines", "[personafeedback]") {
  TempDir dir;
  auto store = Store::open(dir.file("pf.db"));
  const auto task = make_task(Spec::parse("personafeedback"));
  for (const char* spec : {"baseline:kind=random", "baseline:kind=majority", "baseline:kind=longest"}) {
    auto model = make_model(Spec::parse(spec));
    RunOptions o;
    o.source = bundled();
    o.progress = false;
    o.threads = 2;
    const auto summary = run_evaluation(*task, *model, *store, o);
    CHECK(summary.run.status == "finished");
    CHECK(summary.errors == 0);
    bool has_accuracy = false;
    for (const auto& m : summary.metrics)
      if (m.slice_key.empty() && m.metric.name == "accuracy") {
        has_accuracy = true;
        CHECK(m.metric.n == 8);
      }
    CHECK(has_accuracy);
  }
}

// A number beyond double's range is nlohmann's out_of_range.406, not a parse_error; it
// escaped the persona table and the row reader as an undocumented exception (found by
// fuzzing). Both now report invalid JSON with file and line.
TEST_CASE("personafeedback: a number out of range is invalid JSON in either file", "[personafeedback][fuzz]") {
  TempDir dir;
  const std::string root = dir.file("pf");
  dir.write("pf/data/general/easy.jsonl",
            R"({"user_id": "1", "question": "q", "chosen": "a", "reject": "b", "score": 1e999})" "\n");
  dir.write("pf/persona/all_personas.jsonl", R"({"Name": "P", "Demographics": {"Age": 34}})" "\n");
  auto error_of = [&] {
    const auto task = make_task(Spec::parse("personafeedback:track=general,tier=easy,path=" + root));
    try {
      load_all(*task, DataSource{});
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK_THAT(error_of(), Catch::Contains("general/easy.jsonl:1: not valid JSON") &&
                             Catch::Contains("number overflow"));
  dir.write("pf/persona/all_personas.jsonl", R"({"Name": "P", "Demographics": {"Age": -1e400}})" "\n");
  CHECK_THAT(error_of(), Catch::Contains("all_personas.jsonl:1: not valid JSON") &&
                             Catch::Contains("number overflow"));
}
