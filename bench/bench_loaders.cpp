// Parsing the largest benchmark files with the real loaders, on files generated at the start
// of each benchmark (deterministic, in a scratch directory that is removed afterwards).
// One op = one whole load; bytes/s = input MB/s (the page cache holds the files, so this is
// parsing, not disk); the samples delivered are counted and checked.
//
//   BM_LampLoader          a ~100 MB LaMP-5-shaped dev_questions.json (50–150-item profiles
//                          of ~1 kB abstracts) + its outputs file through the task's streaming
//                          loader; then one more load in a forked child for its peak RSS.
//   BM_PersonaBenchLoader  2 communities x 3 users with noise-0.7-sized documents (~400
//                          chunks each): the JSON files, every user's chunks and BM25 corpus.
//   BM_PersonamemQuestionsCsv  a ~50 MB questions CSV through QuestionsCsv + check_row (the
//                          loader's per-row work before the history is cut).
//   BM_CsvReader           the same file through the bare RFC-4180 reader.
//   BM_PersonaFeedbackLoader  the six tier JSONL files (8,298 rows) + the persona table.
//   BM_PenguinLoader       14,000 Hugging Face-style records in 7 domain files.
//
//   build/perseval_bench --benchmark_filter='Loader|Csv'
#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/synthetic_data.h"
#include "tasks/csv/csv_reader.h"
#include "tasks/lamp/lamp_variant.h"
#include "tasks/personamem/question_sample.h"
#include "tasks/personamem/questions_csv.h"
#include "tasks/registry.h"

using namespace perseval;
using perseval::bench::require;
using perseval::bench::ScratchDir;
using perseval::bench::TextGen;

namespace {

int64_t total_bytes(const std::vector<std::string>& files) {
  int64_t n = 0;
  for (const auto& f : files) n += static_cast<int64_t>(std::filesystem::file_size(f));
  return n;
}

// Loads every sample and returns how many there were (the samples are dropped at once).
int64_t load_count(const Task& task, const DataSource& source) {
  int64_t n = 0;
  task.load(source, [&n](Sample&& s) {
    benchmark::DoNotOptimize(s);
    ++n;
    return true;
  });
  return n;
}

// Runs `fn` in a forked child and returns {RSS before, peak RSS during} in MiB. The child's
// peak is reset to its current RSS first (/proc/self/clear_refs), so the difference is what
// `fn` added. {0, 0} when /proc is not available.
template <typename Fn>
std::pair<double, double> child_rss_mib(Fn fn) {
  int fds[2];
  if (pipe(fds) != 0) return {0, 0};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    auto status_kib = [](const char* key) {
      std::ifstream in("/proc/self/status");
      std::string line;
      while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::stod(line.substr(std::string(key).size()));
      return 0.0;
    };
    { std::ofstream("/proc/self/clear_refs") << "5"; }
    const double before = status_kib("VmRSS:");
    fn();
    const double result[2] = {before / 1024.0, status_kib("VmHWM:") / 1024.0};
    (void)!write(fds[1], result, sizeof result);
    _exit(0);
  }
  close(fds[1]);
  double result[2] = {0, 0};
  (void)!read(fds[0], result, sizeof result);
  close(fds[0]);
  waitpid(pid, nullptr, 0);
  return {result[0], result[1]};
}

// ---------------------------------------------------------------------------------------

void BM_LampLoader(benchmark::State& state) {
  const int64_t target = state.range(0) << 20;
  const auto& variant = *lamp::find_variant("lamp-5");
  ScratchDir dir("lamp-loader");
  const std::string questions = dir.file("dev_questions.json"), outputs = dir.file("dev_outputs.json");
  int64_t written = 0, n_questions = 0;
  {
    TextGen g(21);
    std::ofstream q(questions, std::ios::binary);
    nlohmann::json golds = nlohmann::json::array();
    q << "[";
    while (written < target) {
      const std::string id = "5" + std::to_string(100000 + n_questions);
      const std::string text = bench::lamp_question(variant, id, 50 + g.below(101), g).dump();
      q << (n_questions ? ", " : "") << text;
      written += static_cast<int64_t>(text.size()) + 2;
      golds.push_back({{"id", id}, {"output", bench::lamp_gold(variant, g)}});
      ++n_questions;
    }
    q << "]";
    std::ofstream(outputs, std::ios::binary) << nlohmann::json{{"task", "LaMP_5"}, {"golds", golds}}.dump();
  }
  auto task = make_task(Spec::parse("lamp-5:questions=" + questions + ",outputs=" + outputs));
  const int64_t bytes = total_bytes(task->data_files(DataSource{}));
  require(load_count(*task, DataSource{}) == n_questions, "lamp loader: sample count differs");
  for (auto _ : state) benchmark::DoNotOptimize(load_count(*task, DataSource{}));
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * n_questions);
  const auto [before, peak] = child_rss_mib([&] { load_count(*task, DataSource{}); });
  state.counters["file_MB"] = static_cast<double>(bytes) / (1 << 20);
  state.counters["questions"] = static_cast<double>(n_questions);
  state.counters["rss_before_MiB"] = before;
  state.counters["peak_rss_MiB"] = peak;
}
BENCHMARK(BM_LampLoader)->Arg(100)->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------

void BM_PersonaBenchLoader(benchmark::State& state) {
  ScratchDir dir("personabench-loader");
  bench::write_personabench_tree(dir.path().string(), "0.7", 2, 3, 250);
  DataSource source;
  source.data_dir = dir.path().string();
  const Spec spec = Spec::parse("personabench:noise=0.7,retriever=bm25");
  const int64_t bytes = total_bytes(make_task(spec)->data_files(source));
  require(load_count(*make_task(spec), source) == 288, "personabench loader: expected 288 samples");
  for (auto _ : state) {
    auto task = make_task(spec);  // a fresh task: its corpus cache starts empty
    benchmark::DoNotOptimize(load_count(*task, source));
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * 288);
  state.counters["file_MB"] = static_cast<double>(bytes) / (1 << 20);
}
BENCHMARK(BM_PersonaBenchLoader)->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------

// The ~`mb` MB questions CSV, written once per process and removed at exit.
const std::string& personamem_csv(int64_t mb) {
  static ScratchDir dir("personamem-csv");
  static std::string path;
  if (path.empty()) {
    path = dir.file("questions_bench.csv");
    TextGen g(31);
    std::ofstream out(path, std::ios::binary);
    out << bench::personamem_header();
    int64_t written = 0;
    for (int i = 0; written < (mb << 20); ++i) {
      const std::string row = bench::personamem_row(g, i, "ctx" + std::to_string(i / 40), 100 + i % 500, 80);
      out << row;
      written += static_cast<int64_t>(row.size());
    }
  }
  return path;
}

void BM_PersonamemQuestionsCsv(benchmark::State& state) {
  const std::string& path = personamem_csv(state.range(0));
  auto read_all = [&path] {
    personamem::QuestionsCsv csv(path);
    personamem::QuestionRow row;
    int64_t rows = 0;
    while (csv.next(row)) {
      const auto facts = personamem::check_row(row, path);
      benchmark::DoNotOptimize(facts);
      ++rows;
    }
    return rows;
  };
  const int64_t rows = read_all();
  require(rows > 1000, "personamem CSV: too few rows");
  for (auto _ : state) benchmark::DoNotOptimize(read_all());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(std::filesystem::file_size(path)));
  state.SetItemsProcessed(state.iterations() * rows);
  state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_PersonamemQuestionsCsv)->Arg(50)->Unit(benchmark::kMillisecond);

void BM_CsvReader(benchmark::State& state) {
  const std::string& path = personamem_csv(state.range(0));
  auto read_all = [&path] {
    std::ifstream in(path, std::ios::binary);
    csv::CsvReader reader(in);
    std::vector<std::string> fields;
    int64_t records = 0;
    while (reader.next(fields)) ++records;
    return records;
  };
  const int64_t records = read_all();
  require(records > 1000, "CSV reader: too few records");
  for (auto _ : state) benchmark::DoNotOptimize(read_all());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(std::filesystem::file_size(path)));
  state.SetItemsProcessed(state.iterations() * records);
}
BENCHMARK(BM_CsvReader)->Arg(50)->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------

void BM_PersonaFeedbackLoader(benchmark::State& state) {
  ScratchDir dir("personafeedback-loader");
  const std::string root = bench::write_personafeedback_tree(dir.path().string(), 8298, 200);
  auto task = make_task(Spec::parse("personafeedback:path=" + root));
  const int64_t bytes = total_bytes(task->data_files(DataSource{}));
  require(load_count(*task, DataSource{}) == 8298, "personafeedback loader: expected 8298 samples");
  for (auto _ : state) benchmark::DoNotOptimize(load_count(*task, DataSource{}));
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * 8298);
  state.counters["file_MB"] = static_cast<double>(bytes) / (1 << 20);
}
BENCHMARK(BM_PersonaFeedbackLoader)->Unit(benchmark::kMillisecond);

void BM_PenguinLoader(benchmark::State& state) {
  ScratchDir dir("penguin-loader");
  DataSource source;
  source.data_dir = bench::write_penguin_tree(dir.path().string(), 14000);
  auto task = make_task(Spec::parse("penguin:mode=rich"));
  const int64_t bytes = total_bytes(task->data_files(source));
  require(load_count(*task, source) == 14000, "penguin loader: expected 14000 samples");
  for (auto _ : state) benchmark::DoNotOptimize(load_count(*task, source));
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * 14000);
  state.counters["file_MB"] = static_cast<double>(bytes) / (1 << 20);
}
BENCHMARK(BM_PenguinLoader)->Unit(benchmark::kMillisecond);

}  // namespace
