// Prompt building (Task::render) of every task family through its real task object, on
// generated inputs of realistic size; one op = one rendered Request, items/s = prompts/s.
//
//   BM_LampPrompt/<variant>/<profile items>   LaMP-1…7 and 2-news, k=4 BM25 over the
//       question's profile (a fresh index per question, as the task does), the official
//       per-item template, and the baselines' hints (which reuse the same index).
//   BM_PersonaBenchPrompt   BM25 top-5 over a user's ~400 cached chunks + the official
//       NumPy-repr prompt (2 communities x 3 users, noise 0.7-sized documents).
//   BM_PersonamemPrompt/context_kB/system_merge   the official messages from a long shared
//       context: 150 kB ~ 32k tokens, 600 kB ~ 128k, 4096 kB ~ 1M; system_merge=1 folds
//       system messages into the next turn.
//   BM_PersonaFeedbackPrompt   choice prompt with the flattened persona (8,298 rows).
//   BM_PenguinPrompt           the official responder prompt, mode=rich (14,000 records).
//
//   build/perseval_bench --benchmark_filter='Prompt'
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench/synthetic_data.h"
#include "tasks/lamp/lamp_variant.h"
#include "tasks/registry.h"

using namespace perseval;
using perseval::bench::require;
using perseval::bench::ScratchDir;
using perseval::bench::TextGen;

namespace {

std::vector<Sample> load_samples(const Task& task, const DataSource& source) {
  std::vector<Sample> out;
  task.load(source, [&out](Sample&& s) {
    s.seed = out.size() + 1;  // the runner sets hash(run seed, id); any fixed value will do
    out.push_back(std::move(s));
    return true;
  });
  return out;
}

size_t prompt_chars(const Request& r) {
  size_t n = 0;
  for (const auto& m : r.messages) n += m.content.size();
  return n;
}

// Renders samples round-robin; reports prompts/s and the mean prompt size.
void render_loop(benchmark::State& state, const Task& task, const std::vector<Sample>& samples) {
  require(!samples.empty(), "no samples to render");
  size_t chars = 0;
  for (const auto& s : samples) chars += prompt_chars(task.render(s));
  require(chars > 0, "empty prompts");
  size_t i = 0;
  for (auto _ : state) {
    Request r = task.render(samples[i]);
    benchmark::DoNotOptimize(r);
    if (++i == samples.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["prompt_chars"] = static_cast<double>(chars) / static_cast<double>(samples.size());
  state.counters["samples"] = static_cast<double>(samples.size());
}

// ---------------------------------------------------------------------------------------

void BM_LampPrompt(benchmark::State& state, const std::string& variant_name) {
  const auto* variant = lamp::find_variant(variant_name);
  require(variant != nullptr, "unknown LaMP variant " + variant_name);
  const auto profile_items = static_cast<size_t>(state.range(0));
  auto task = make_task(Spec::parse(variant_name + ":k=4,retriever=bm25"));
  TextGen g(profile_items + variant_name.size());
  std::vector<Sample> samples;
  for (int i = 0; i < 4; ++i) {
    Sample s;
    s.id = "bench-" + std::to_string(i);
    s.user_id = s.id;
    s.seed = static_cast<uint64_t>(i) + 1;
    s.input = bench::lamp_question(*variant, s.id, profile_items, g);
    samples.push_back(std::move(s));
  }
  const Request first = task->render(samples[0]);
  require(first.messages.size() == 1 &&
              first.messages[0].content.size() >
                  samples[0].input["input"].get<std::string>().size() + 20,
          variant_name + ": the prompt shows no retrieved profile items");
  render_loop(state, *task, samples);
}

[[maybe_unused]] const bool kLampRegistered = [] {
  for (const auto& v : lamp::all_variants())
    benchmark::RegisterBenchmark(("BM_LampPrompt/" + v.name).c_str(), BM_LampPrompt, v.name)
        ->Arg(100)
        ->Arg(500)
        ->Unit(benchmark::kMicrosecond);
  return true;
}();

// ---------------------------------------------------------------------------------------

void BM_PersonaBenchPrompt(benchmark::State& state) {
  ScratchDir dir("personabench-prompt");
  bench::write_personabench_tree(dir.path().string(), "0.7", 2, 3, 250);
  auto task = make_task(Spec::parse("personabench:noise=0.7,retriever=bm25,k=5,prompt=official"));
  DataSource source;
  source.data_dir = dir.path().string();
  const auto samples = load_samples(*task, source);
  require(samples.size() == 2 * 3 * 48, "personabench: expected 288 samples, got " +
                                            std::to_string(samples.size()));
  const Request first = task->render(samples[0]);
  require(first.messages.size() == 1 &&
              first.messages[0].content.find("Question: ") != std::string::npos &&
              first.messages[0].content.size() > 2000,
          "personabench: the prompt lacks its retrieved chunks");
  render_loop(state, *task, samples);
}
BENCHMARK(BM_PersonaBenchPrompt)->Unit(benchmark::kMicrosecond);

// ---------------------------------------------------------------------------------------

void BM_PersonamemPrompt(benchmark::State& state) {
  const auto context_bytes = static_cast<size_t>(state.range(0)) << 10;
  const bool merge = state.range(1) != 0;
  const char* size = context_bytes <= (200u << 10) ? "32k" : context_bytes <= (1u << 20) ? "128k" : "1M";
  ScratchDir dir("personamem-prompt");
  const std::string contexts = dir.file("contexts.jsonl"), questions = dir.file("questions.csv");
  TextGen g(context_bytes);
  {
    std::ofstream ctx(contexts, std::ios::binary);
    std::ofstream csv(questions, std::ios::binary);
    csv << bench::personamem_header();
    for (int c = 0; c < 2; ++c) {
      const std::string id = "bench-context-" + std::to_string(c);
      const int messages = bench::write_personamem_context(ctx, id, context_bytes, g);
      for (int q = 0; q < 4; ++q)  // cut points spread over the second half
        csv << bench::personamem_row(g, c * 4 + q, id, messages / 2 + (messages / 2) * (q + 1) / 4, 80);
    }
  }
  auto task = make_task(Spec::parse(std::string("personamem:size=") + size +
                                    ",system_merge=" + (merge ? "1" : "0") +
                                    ",questions=" + questions + ",contexts=" + contexts));
  const auto samples = load_samples(*task, DataSource{});
  require(samples.size() == 8, "personamem: expected 8 samples, got " + std::to_string(samples.size()));
  require(task->render(samples[0]).messages.size() > 10, "personamem: the prompt lacks its history");
  render_loop(state, *task, samples);
  state.counters["context_kB"] = static_cast<double>(context_bytes >> 10);
}
BENCHMARK(BM_PersonamemPrompt)
    ->ArgNames({"context_kB", "system_merge"})
    ->Args({150, 0})
    ->Args({600, 0})
    ->Args({600, 1})
    ->Args({4096, 0})
    ->Unit(benchmark::kMicrosecond);

// ---------------------------------------------------------------------------------------

void BM_PersonaFeedbackPrompt(benchmark::State& state) {
  ScratchDir dir("personafeedback-prompt");
  const std::string root = bench::write_personafeedback_tree(dir.path().string(), 8298, 200);
  auto task = make_task(Spec::parse("personafeedback:path=" + root));
  const auto samples = load_samples(*task, DataSource{});
  require(samples.size() == 8298, "personafeedback: expected 8298 samples, got " +
                                      std::to_string(samples.size()));
  require(task->render(samples[0]).messages.at(0).content.find("Synthetic Persona") != std::string::npos,
          "personafeedback: the prompt lacks the persona");
  render_loop(state, *task, samples);
}
BENCHMARK(BM_PersonaFeedbackPrompt)->Unit(benchmark::kMicrosecond);

// ---------------------------------------------------------------------------------------

void BM_PenguinPrompt(benchmark::State& state) {
  ScratchDir dir("penguin-prompt");
  DataSource source;
  source.data_dir = bench::write_penguin_tree(dir.path().string(), 14000);
  auto task = make_task(Spec::parse("penguin:mode=rich"));
  const auto samples = load_samples(*task, source);
  require(samples.size() == 14000, "penguin: expected 14000 samples, got " + std::to_string(samples.size()));
  require(task->render(samples[0]).messages.size() == 2, "penguin: expected system + user message");
  render_loop(state, *task, samples);
}
BENCHMARK(BM_PenguinPrompt)->Unit(benchmark::kMicrosecond);

}  // namespace
