// Helpers shared by the libFuzzer targets in fuzz/: a per-process scratch directory for
// loaders that read files, splitting one input into several files, and a driver that runs a
// task's whole pure pipeline (load, render, score, judge parsing) on whatever loaded.
//
// Outcome rule of every target: an exception the API under test documents (InputError for
// malformed files, a parser's own error type) is caught and ends the input quietly; anything
// else — a crash, a sanitizer report, an undocumented exception escaping (libFuzzer reports
// it as a deadly signal via std::terminate) — is a finding.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <signal.h>
#include <unistd.h>

#include "harness/cache/request_key.h"
#include "harness/core/errors.h"
#include "harness/core/task.h"

namespace perseval::fuzz {

// The line that separates the files of a multi-file input ("\n=====\n").
inline constexpr std::string_view kSeparator = "\n=====\n";

// The fuzz input as text (bytes unchanged).
inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Cuts `input` at every kSeparator; always returns at least one (possibly empty) part.
inline std::vector<std::string_view> split_parts(std::string_view input) {
  std::vector<std::string_view> parts;
  for (;;) {
    const size_t at = input.find(kSeparator);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(0, at));
    input.remove_prefix(at + kSeparator.size());
  }
  parts.push_back(input);
  return parts;
}

// One scratch directory per process, BASE/perseval-fuzz-<pid>, created on first use. BASE is
// $TMPDIR when set, else /dev/shm when writable (a disk-backed /tmp makes each rewrite of a
// truncated file wait for the disk: 40x fewer execs/s on a busy machine), else /tmp. Fuzz inputs are written into it and overwritten by the next input. libFuzzer ends a
// run with _Exit (no destructors), so the directory is removed by the next process instead:
// on creation, directories of processes that no longer exist are deleted.
class Scratch {
 public:
  static Scratch& get() {
    static Scratch scratch;
    return scratch;
  }
  const std::string& dir() const { return dir_; }

  // Writes `bytes` to DIR/relative (creating parent folders), replacing the old content;
  // returns the full path.
  std::string write(const std::string& relative, std::string_view bytes) const {
    const std::filesystem::path path = std::filesystem::path(dir_) / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path.string();
  }

  // Removes DIR/relative if it exists.
  void remove(const std::string& relative) const {
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(dir_) / relative, ec);
  }

  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

 private:
  static constexpr std::string_view kPrefix = "perseval-fuzz-";

  Scratch() {
    const char* tmp = std::getenv("TMPDIR");
    const std::filesystem::path base = tmp && *tmp                           ? tmp
                                       : ::access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm"
                                                                                : "/tmp";
    remove_stale(base);
    dir_ = (base / (std::string(kPrefix) + std::to_string(::getpid()))).string();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);  // a reused pid's leftovers
    std::filesystem::create_directories(dir_);
  }

  // Deletes BASE/perseval-fuzz-<pid> of every pid that is no longer running.
  static void remove_stale(const std::filesystem::path& base) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(base, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(kPrefix, 0) != 0) continue;
      const std::string pid = name.substr(kPrefix.size());
      if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos || pid.size() > 9) continue;
      if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH)
        std::filesystem::remove_all(entry.path(), ec);
    }
  }

  std::string dir_;
};

// True when PERSEVAL_FUZZ_VERBOSE is set: targets then say on stderr what an input did
// (useful when writing seeds: `PERSEVAL_FUZZ_VERBOSE=1 build/fuzz_x fuzz/corpus/fuzz_x/*`).
inline bool verbose() {
  static const bool on = std::getenv("PERSEVAL_FUZZ_VERBOSE") != nullptr;
  return on;
}

// Prints "WHAT: MESSAGE" of an expected (documented) exception when verbose().
inline void note(const char* what, const std::exception& e) {
  if (verbose()) std::fprintf(stderr, "%s: %s\n", what, e.what());
}

// True for one input in eight, decided by its size so a finding replays the same way: the
// loader targets run Task::aggregate (bootstrapped intervals, most of an input's time) on
// these only, to keep the loaders' exec/s up.
inline bool one_in_eight(size_t size) { return size % 8 == 0; }

// Runs `task` on `source`: loads at most `max_samples` samples (an InputError from load is
// the documented outcome for bad files and ends the run), and for each one renders the
// request, computes its cache key, builds the judge requests, parses canned judge replies
// and scores canned completions. Only load may throw (InputError); render, score and the
// judge stage are documented as pure and non-throwing on loaded samples. With `aggregate`,
// the scored samples also go through Task::aggregate (bootstraps: slower).
inline void exercise_task(const Task& task, const DataSource& source, size_t max_samples = 64,
                          bool aggregate = false) {
  static const std::vector<std::string> kReplies = {
      "", "(a)", "[[A]] [[80]]", "B", "Answer: 3", "Rating: 4/5", "comedy",
      "Risk Sensitivity\nScore: 4/5\nEmotional Empathy\nScore: 3/5\nPersonalization\n"
      "Score: 5/5\nComprehensive Score: 12/15"};
  std::vector<Sample> samples;
  try {
    task.load(source, [&](Sample&& sample) {
      samples.push_back(std::move(sample));
      return samples.size() < max_samples;
    });
  } catch (const InputError& e) {
    // Documented: malformed input files.
    note("load", e);
  }
  if (verbose()) std::fprintf(stderr, "load: %zu samples\n", samples.size());
  ModelInfo model;
  model.backend = "fuzz";
  std::vector<ScoredSample> scored_samples;
  for (const Sample& sample : samples) {
    const Request request = task.render(sample);
    (void)request_key(model, request);
    for (const std::string& reply : kReplies) {
      Completion completion;
      completion.text = reply;
      std::vector<Judgement> judgements;
      const std::vector<Request> judge_requests = task.judge_requests(sample, completion);
      for (size_t i = 0; i < judge_requests.size(); ++i) {
        (void)request_key(model, judge_requests[i]);
        Judgement judgement;
        judgement.request_index = static_cast<int>(i);
        judgement.raw_text = reply;
        task.parse_judgement(sample, judgement);
        judgements.push_back(std::move(judgement));
      }
      ScoredSample scored;
      scored.sample_id = sample.id;
      scored.user_id = sample.user_id;
      scored.slices = sample.slices;
      scored.target = task.target_text(sample);
      scored.output = reply;
      scored.scores = task.score(sample, completion, judgements);
      for (const auto& [name, value] : scored.scores.values) (void)task.sample_metric(name, scored);
      scored_samples.push_back(std::move(scored));
    }
  }
  if (aggregate) (void)task.aggregate(scored_samples, 1234);
}

}  // namespace perseval::fuzz
