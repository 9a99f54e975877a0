// PERSONAMEM at 1M-token scale: how long the id → offset index of a shared-contexts JSONL
// takes to build, and how much memory loading every question against it needs. The inputs
// are generated once into /tmp/perseval-bench-personamem/ (a file per size, reused by later
// runs). Each benchmark takes the file size in MB as its argument; 1024 is the acceptance
// size, 64 a quick run: --benchmark_filter='Personamem.*/64'.
//
// Lines are shaped like the 1M split's: ~4 MB each (a 1M-token conversation of ~2 kB
// messages in sessions opened by a persona system message); the questions file has the 1M
// split's 2,674 rows, grouped by context as upstream's files are, each cutting its context
// at a different point. Peak RSS is measured in a forked child that only loads, so earlier
// benchmarks and the generator do not inflate it.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/core/hash.h"
#include "tasks/personamem/context_file.h"
#include "tasks/personamem/personamem_loader.h"

namespace perseval::personamem {
namespace {

constexpr long long kLineBytes = 4LL << 20;  // ~ one 1M-token conversation
constexpr int kQuestions = 2674;             // questions_1M.csv

std::string bench_dir() {
  return (std::filesystem::temp_directory_path() / "perseval-bench-personamem").string();
}

std::string context_id(int i) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%016llx%016llx%016llx%016llx",
                static_cast<unsigned long long>(mix64(i * 4 + 1)),
                static_cast<unsigned long long>(mix64(i * 4 + 2)),
                static_cast<unsigned long long>(mix64(i * 4 + 3)),
                static_cast<unsigned long long>(mix64(i * 4 + 4)));
  return buf;
}

// Messages of about 2 kB; the text varies so the file does not compress to nothing.
std::string message_text(int line, int message) {
  std::string text =
      "Synthetic benchmark turn " + std::to_string(line) + "." + std::to_string(message) + ": ";
  while (text.size() < 2000)
    text += "I keep a budget and plan dinners; lately I prefer calm jazz on the way home. " +
            std::to_string(mix64(line * 100003ULL + message + text.size()) % 1000) + " ";
  return text;
}

struct Files {
  std::string contexts;
  std::string questions;
  int lines = 0;
  int messages_per_line = 0;
};

// Writes the contexts JSONL (~`mb` MB) and a questions CSV for it unless both exist.
Files ensure_files(long long mb) {
  Files f;
  std::filesystem::create_directories(bench_dir());
  f.contexts = bench_dir() + "/shared_contexts_" + std::to_string(mb) + "MB.jsonl";
  f.questions = bench_dir() + "/questions_" + std::to_string(mb) + "MB.csv";
  f.lines = static_cast<int>(std::max(1LL, (mb << 20) / kLineBytes));
  const nlohmann::json probe = {{"role", "user"}, {"content", message_text(0, 0)}};
  f.messages_per_line =
      static_cast<int>(kLineBytes / static_cast<long long>(probe.dump().size() + 1));
  if (std::filesystem::exists(f.contexts) && std::filesystem::exists(f.questions)) return f;

  const std::string tmp = f.contexts + ".part";
  {
    std::ofstream out(tmp, std::ios::binary);
    for (int line = 0; line < f.lines; ++line) {
      std::string text = "{\"" + context_id(line) + "\": [";
      for (int m = 0; m < f.messages_per_line; ++m) {
        const char* role = m % 40 == 0 ? "system" : m % 2 ? "user" : "assistant";
        nlohmann::json msg = {
            {"role", role},
            {"content",
             m % 40 == 0 ? "Current user persona: Name: Synthetic Persona " + std::to_string(line)
                         : message_text(line, m)}};
        text += (m ? ", " : "") + msg.dump();
      }
      text += "]}\n";
      out << text;
    }
  }
  std::filesystem::rename(tmp, f.contexts);

  std::ofstream q(f.questions, std::ios::binary);
  q << "persona_id,question_id,question_type,topic,context_length_in_tokens,"
       "context_length_in_letters,distance_to_ref_in_blocks,distance_to_ref_in_tokens,"
       "num_irrelevant_tokens,distance_to_ref_proportion_in_context,user_question_or_message,"
       "correct_answer,all_options,shared_context_id,end_index_in_shared_context\n";
  for (int i = 0; i < kQuestions; ++i) {
    const int line = i * f.lines / kQuestions;  // grouped by context, in file order
    const int end = 1 + static_cast<int>(mix64(i + 7) % static_cast<uint64_t>(f.messages_per_line));
    q << line % 20 << ",bench-q-" << i << ",suggest_new_ideas,therapy," << end * 500 << ","
      << end * 2000 << ",3,1000,0,50.00%,What should I try next?,(b),"
      << "\"['(a) one', '(b) two', \"\"(c) it's\"\", '(d) four']\"," << context_id(line) << ","
      << end << "\n";
  }
  return f;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_PersonamemIndexBuild(benchmark::State& state) {
  const Files f = ensure_files(state.range(0));
  const double file_mb = static_cast<double>(std::filesystem::file_size(f.contexts)) / (1 << 20);
  size_t contexts = 0;
  for (auto _ : state) {
    ContextFile file(f.contexts);
    contexts = file.size();
    benchmark::DoNotOptimize(contexts);
  }
  state.counters["file_MB"] = file_mb;
  state.counters["contexts"] = static_cast<double>(contexts);
  state.counters["MB_per_s"] =
      benchmark::Counter(file_mb, benchmark::Counter::kIsIterationInvariantRate);
}

// Loads every question in a child process and reports the child's peak RSS.
void BM_PersonamemLoadPeakRss(benchmark::State& state) {
  const Files f = ensure_files(state.range(0));
  double peak_mb = 0, start_mb = 0, load_s = 0, delivered = 0;
  for (auto _ : state) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) {
      state.SkipWithError("pipe failed");
      return;
    }
    const pid_t pid = fork();
    if (pid == 0) {
      close(pipe_fds[0]);
      rusage before{};
      getrusage(RUSAGE_SELF, &before);
      const auto start = std::chrono::steady_clock::now();
      LoaderOptions o;
      o.size = "1M";
      o.questions_path = f.questions;
      o.contexts_path = f.contexts;
      o.warn = nullptr;
      long long n = 0;
      load_questions(o, [&n](Sample&& s) {
        benchmark::DoNotOptimize(s);
        ++n;
        return true;
      });
      rusage after{};
      getrusage(RUSAGE_SELF, &after);
      const double result[4] = {after.ru_maxrss / 1024.0, before.ru_maxrss / 1024.0,
                                seconds_since(start), static_cast<double>(n)};
      (void)!write(pipe_fds[1], result, sizeof result);
      _exit(0);
    }
    close(pipe_fds[1]);
    double result[4] = {0, 0, 0, 0};
    (void)!read(pipe_fds[0], result, sizeof result);
    close(pipe_fds[0]);
    waitpid(pid, nullptr, 0);
    peak_mb = result[0];
    start_mb = result[1];
    load_s = result[2];
    delivered = result[3];
  }
  state.counters["file_MB"] =
      static_cast<double>(std::filesystem::file_size(f.contexts)) / (1 << 20);
  state.counters["peak_rss_MB"] = peak_mb;
  state.counters["rss_at_start_MB"] = start_mb;
  state.counters["load_s"] = load_s;
  state.counters["questions"] = delivered;
}

BENCHMARK(BM_PersonamemIndexBuild)
    ->Arg(64)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();
BENCHMARK(BM_PersonamemLoadPeakRss)
    ->Arg(64)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace perseval::personamem
