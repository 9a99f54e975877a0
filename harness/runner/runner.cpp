#include "harness/runner/runner.h"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_set>

#include "harness/core/errors.h"
#include "harness/core/hash.h"
#include "harness/runner/aggregate.h"
#include "harness/runner/arena_enqueue.h"
#include "harness/runner/in_flight_limiter.h"
#include "harness/runner/progress.h"
#include "harness/runner/run_identity.h"
#include "harness/runner/usage_summary.h"
#include "harness/store/result_writer.h"

namespace perseval {
namespace {

std::string prompt_hash(const Request& request) {
  uint64_t h = fnv1a64("");
  for (const auto& m : request.messages) {
    h = fnv1a64(m.role, h);
    h = fnv1a64(std::string_view("\0", 1), h);
    h = fnv1a64(m.content, h);
    h = fnv1a64(std::string_view("\0", 1), h);
  }
  return hex64(h);
}

RunRecord open_or_resume_run(const Task& task, const Model& model, Store& store,
                             const RunOptions& options, bool& resumed) {
  const TaskInfo info = task.info();
  const ModelInfo model_info = model.info();
  const std::string fingerprint = dataset_fingerprint(task.data_files(options.source));
  json judge = nullptr;
  if (options.judge) {
    const ModelInfo judge_info = options.judge->info();
    judge = json{{"model", judge_info.name},
                 {"identity", judge_info.identity},
                 {"samples", std::max(1, options.judge_samples)}};
  }
  // Shards of one configuration share its base key (what `merge` joins on) and differ in
  // their own key, so each shard resumes only itself.
  const std::string base_key =
      config_key(info, model_info, fingerprint, options.seed, options.limit, judge);
  const bool sharded = options.shard_count > 1;
  const std::string key =
      sharded ? hex64(fnv1a64(base_key + "/shard " + std::to_string(options.shard_index) + "/" +
                              std::to_string(options.shard_count)))
              : base_key;
  if (options.invocation.is_object()) {
    // A run this invocation already finished (the command was killed after it and started
    // again): handed back as it is.
    const json& id = options.invocation["id"];
    for (auto& stored : store.list_runs())
      if (stored.config_key == key && stored.status == "finished" && stored.notes.is_object() &&
          stored.notes.contains("invocation") && stored.notes["invocation"]["id"] == id) {
        resumed = true;
        return stored;
      }
  }
  if (auto existing = store.find_unfinished_run(key)) {
    resumed = true;
    existing->status = "running";
    if (options.invocation.is_object()) existing->notes["invocation"] = options.invocation;
    store.update_run(*existing);
    return *existing;
  }
  resumed = false;
  RunRecord run;
  run.run_id = new_run_id(key);
  run.config_key = key;
  run.task = info.name;
  run.task_version = info.version;
  run.task_params = info.params;
  run.model = model_info.name;
  run.model_identity = model_info.identity;
  run.gen_config = gen_config_json(info.gen);
  run.dataset_fingerprint = fingerprint;
  run.seed = options.seed;
  run.limit = options.limit;
  run.harness_version = PERSEVAL_VERSION;
  run.git_revision = PERSEVAL_GIT_REVISION;
  run.started_at = utc_now_iso();
  run.notes = json{{"primary_metric", info.primary_metric},
                   {"higher_is_better", info.higher_is_better},
                   {"task_family", info.family}};
  if (!judge.is_null()) run.notes["judge"] = judge;
  if (options.invocation.is_object()) run.notes["invocation"] = options.invocation;
  if (sharded) {
    run.notes["base_config_key"] = base_key;
    run.notes["shard"] = json{{"index", options.shard_index}, {"count", options.shard_count}};
  }
  run.status = "running";
  store.create_run(run);
  return run;
}

// The rows the aggregates are computed from, in seq order: the rows this session produced,
// unless earlier sessions stored some (a resumed run) or a sample id repeated (the store
// kept only one of them); then the store, which holds exactly what is reported.
std::vector<SampleRow> rows_for_aggregates(std::vector<SampleRow> session_rows, Store& store,
                                           const std::string& run_id, bool resumed_samples) {
  if (resumed_samples) return store.read_samples(run_id);
  std::unordered_set<std::string_view> ids;
  ids.reserve(session_rows.size());
  for (const auto& row : session_rows)
    if (!ids.insert(row.sample_id).second) return store.read_samples(run_id);
  std::sort(session_rows.begin(), session_rows.end(),
            [](const SampleRow& a, const SampleRow& b) { return a.seq < b.seq; });
  return session_rows;
}

// Per-run state shared by the loader thread, TBB tasks and model callbacks.
struct Pipeline {
  const Task& task;
  Model& model;
  const RunOptions& options;
  tbb::task_arena& arena;
  ResultWriter& writer;
  ProgressLine& progress;
  InFlightLimiter& limiter;
  std::atomic<long long> errors{0};
  // Every row of this session without its judgements, for the aggregates: reading 20k rows
  // back from SQLite and re-parsing their JSON cost more than keeping them.
  std::mutex rows_mutex;
  std::vector<SampleRow> rows;

  void start(std::shared_ptr<Sample> sample, long long seq) {
    sample->seed = sample_seed(options.seed, sample->id);
    Request request;
    try {
      request = task.render(*sample);
    } catch (const std::exception& e) {
      Completion failed;
      failed.error = std::string("render failed: ") + e.what();
      finish(sample, seq, "", std::move(failed), {});
      return;
    }
    request.sample_id = sample->id;
    request.sample_seed = sample->seed;
    std::string hash = prompt_hash(request);
    // A completion delivered inside submit() on this thread (a cache hit, an instant model)
    // is finished right here; one from another thread (the HTTP I/O thread) goes back to the
    // arena so that thread never scores or stores.
    thread_local const Pipeline* submitting = nullptr;
    submitting = this;
    model.submit(std::move(request), [this, sample, seq, hash](Completion completion) {
      // TBB wants a const-callable task, so the completion travels in a shared_ptr.
      auto shared = std::make_shared<Completion>(std::move(completion));
      if (submitting == this) {
        judge_or_finish(sample, seq, hash, shared);
        return;
      }
      enqueue_published(arena, [this, sample, seq, hash, shared] { judge_or_finish(sample, seq, hash, shared); });
    });
    submitting = nullptr;
  }

  // The judge stage: with a --judge model and a task that asks for judgements, every judge
  // request goes out K times (draws), asynchronously like the model call; scoring waits
  // until every draw has come back.
  void judge_or_finish(const std::shared_ptr<Sample>& sample, long long seq, const std::string& hash,
                       const std::shared_ptr<Completion>& completion) {
    std::vector<Request> judge_requests;
    if (options.judge && !completion->error) {
      try {
        judge_requests = task.judge_requests(*sample, *completion);
      } catch (const std::exception& e) {
        completion->error = std::string("judge request failed: ") + e.what();
      }
    }
    if (judge_requests.empty()) {
      finish(sample, seq, hash, std::move(*completion), {});
      return;
    }
    const int draws = std::max(1, options.judge_samples);
    struct Pending {
      std::vector<Judgement> judgements;
      std::atomic<int> remaining;
    };
    auto pending = std::make_shared<Pending>();
    pending->judgements.resize(judge_requests.size() * draws);
    pending->remaining = static_cast<int>(pending->judgements.size());
    for (size_t i = 0; i < judge_requests.size(); ++i) {
      for (int d = 0; d < draws; ++d) {
        Request request = judge_requests[i];
        request.sample_id = sample->id;
        request.epoch = d;
        request.sample_seed = sample_seed(options.seed, sample->id + "#judge" +
                                                             std::to_string(i) + "." + std::to_string(d));
        const size_t slot = i * draws + d;
        options.judge->submit(std::move(request), [=, this](Completion reply) {
          Judgement& j = pending->judgements[slot];
          j.request_index = static_cast<int>(i);
          j.draw = d;
          j.raw_text = reply.error ? "" : std::move(reply.text);
          j.error = reply.error;
          j.latency_ms = reply.latency_ms;
          j.logprobs = std::move(reply.logprobs);
          if (--pending->remaining == 0)
            enqueue_published(arena, [this, sample, seq, hash, completion, pending] {
              finish(sample, seq, hash, std::move(*completion), std::move(pending->judgements));
            });
        });
      }
    }
  }

  void finish(const std::shared_ptr<Sample>& sample, long long seq, const std::string& hash,
              Completion completion, std::vector<Judgement> judgements) {
    SampleRow row;
    row.sample_id = sample->id;
    row.seq = seq;
    row.user_id = sample->user_id;
    row.slices = json(sample->slices);
    row.prompt_hash = hash;
    row.latency_ms = completion.latency_ms;
    row.prompt_tokens = completion.usage.prompt_tokens;
    row.completion_tokens = completion.usage.completion_tokens;
    row.attempts = completion.attempts;
    row.error = completion.error;
    row.cached = completion.cached;
    if (completion.error) completion.text.clear();  // failed calls are scored as empty answers
    row.output = completion.text;
    try {
      row.target = task.target_text(*sample);
      for (auto& j : judgements) task.parse_judgement(*sample, j);
      const Scores scores = task.score(*sample, completion, judgements);
      row.parsed = scores.parsed_answer;
      row.scores = json(scores.values);
    } catch (const std::exception& e) {
      row.error = (row.error ? *row.error + "; " : std::string()) + "score failed: " + e.what();
    }
    const bool failed = row.error.has_value();
    if (failed) ++errors;
    {
      std::lock_guard lock(rows_mutex);
      rows.push_back(row);
    }
    row.judgements = std::move(judgements);
    writer.add(std::move(row));
    progress.tick(failed);
    limiter.release();
  }
};

}  // namespace

bool in_shard(const std::string& sample_id, int index, int count) {
  if (count <= 1) return true;
  return fnv1a64(sample_id) % static_cast<uint64_t>(count) == static_cast<uint64_t>(index);
}

RunSummary run_evaluation(const Task& task, Model& model, Store& store, const RunOptions& options) {
  if (options.shard_count < 1 || options.shard_index < 0 || options.shard_index >= options.shard_count)
    throw InputError("--shard " + std::to_string(options.shard_index) + "/" +
                     std::to_string(options.shard_count) + ": expected i/N with 0 <= i < N");
  const auto wall_start = std::chrono::steady_clock::now();
  RunSummary summary;
  summary.run = open_or_resume_run(task, model, store, options, summary.resumed);
  RunRecord& run = summary.run;
  if (run.status == "finished") {
    summary.skipped = true;
    summary.metrics = store.read_metrics(run.run_id);
    for (const auto& row : store.read_samples(run.run_id))
      if (row.error) ++summary.errors;
    return summary;
  }
  const auto already_done = store.completed_sample_ids(run.run_id);

  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Workers only (no slot reserved for the loader thread, which never joins the arena).
  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                  static_cast<size_t>(threads) + 1);
  tbb::task_arena arena(threads, 0);

  long long total = -1;
  if (auto count = task.count_samples(options.source)) total = *count;
  if (options.limit >= 0 && (total < 0 || total > options.limit)) total = options.limit;
  if (total >= 0 && options.shard_count > 1) total = (total + options.shard_count - 1) / options.shard_count;  // about
  ProgressLine progress(run.task + " | " + run.model,
                        total >= 0 ? total - static_cast<long long>(already_done.size()) : -1,
                        options.progress && ProgressLine::stderr_is_terminal());
  ResultWriter writer(store, run.run_id);
  // Keep the adapter's pipe full: at least twice its concurrency between load and store.
  InFlightLimiter limiter(std::max(options.max_in_flight, 2 * model.info().concurrency));
  Pipeline pipeline{task, model, options, arena, writer, progress, limiter};

  long long seq = 0;
  bool stopped = false;
  auto sink = [&](Sample&& sample) -> bool {
    if (options.stop && options.stop->load()) {
      stopped = true;
      return false;
    }
    // The store failed (disk full, locked, read-only): stop here instead of running samples
    // whose results cannot be stored; settle() then reports the write error.
    if (writer.failed()) return false;
    if (options.limit >= 0 && seq >= options.limit) return false;
    const long long my_seq = seq++;  // the position in the whole stream, also when sharded
    if (options.shard_count > 1 && !in_shard(sample.id, options.shard_index, options.shard_count))
      return true;
    if (already_done.count(sample.id)) {
      ++summary.resumed_samples;
      return true;
    }
    limiter.acquire();
    ++summary.new_samples;
    auto shared = std::make_shared<Sample>(std::move(sample));
    enqueue_published(arena, [&pipeline, shared, my_seq] { pipeline.start(shared, my_seq); });
    return true;
  };

  auto settle = [&] {
    limiter.wait_idle();
    model.drain();
    if (options.judge) options.judge->drain();
    writer.flush();
    run.wall_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  };
  try {
    task.load(options.source, sink);
  } catch (...) {
    // Keep everything finished so far; the run stays resumable once the input is fixed.
    settle();
    progress.finish();
    run.status = "failed";
    store.update_run(run);
    throw;
  }
  settle();
  progress.finish();

  if (stopped) {
    summary.interrupted = true;
    run.status = "interrupted";
    store.update_run(run);
    return summary;
  }

  std::vector<SampleRow> rows = rows_for_aggregates(std::move(pipeline.rows), store, run.run_id,
                                                   summary.resumed_samples > 0);
  for (const auto& row : rows)
    if (row.error) ++summary.errors;
  run.notes["usage"] = usage_summary(rows, model.info(), options.prices);
  run.n_total = static_cast<long long>(rows.size());
  summary.metrics = aggregate_scored(task, to_scored_samples(std::move(rows)), options.seed);
  if (json report = task.load_report(); !report.empty()) run.notes["load"] = std::move(report);
  store.replace_metrics(run.run_id, summary.metrics);
  // A shard's samples are a part of the stream; merge checks the parts add up to it.
  if (options.shard_count > 1) run.notes["stream_samples"] = seq;
  run.status = "finished";
  run.finished_at = utc_now_iso();
  store.update_run(run);
  return summary;
}

}  // namespace perseval
