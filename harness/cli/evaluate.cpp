#include "harness/cli/evaluate.h"

#include <chrono>
#include <cstdio>
#include <iostream>

#include <fstream>

#include "adapters/registry.h"
#include "harness/cache/caching_model.h"
#include "harness/core/errors.h"
#include "harness/cli/commands.h"
#include "harness/cli/invocation.h"
#include "reports/export_results.h"
#include "tasks/registry.h"

namespace perseval::cli {

std::vector<RunSummary> evaluate_all(const std::vector<std::string>& task_specs,
                                     const std::vector<std::string>& model_specs,
                                     const EvaluateOptions& options, double& wall_s) {
  const auto start = std::chrono::steady_clock::now();
  // Build every task and model first so a typo fails before anything runs.
  std::vector<std::unique_ptr<Task>> tasks;
  for (const auto& spec : task_specs) tasks.push_back(make_task(Spec::parse(spec)));
  std::vector<std::unique_ptr<Model>> models;
  for (const auto& spec : model_specs) models.push_back(make_model(Spec::parse(spec)));
  // Embeddings are not cached: a task embeds each corpus once per process and keeps it.
  std::unique_ptr<Embedder> embedder;
  if (!options.embedder_spec.empty()) embedder = make_embedder(Spec::parse(options.embedder_spec));
  for (auto& task : tasks) {
    if (task->needs_embedder() && !embedder)
      throw InputError("task '" + task->info().name +
                       "' uses dense retrieval and needs --embedder SPEC "
                       "(e.g. --embedder openai:model=NAME,base_url=http://127.0.0.1:8000/v1)");
    if (embedder) task->attach_embedder(embedder.get());
  }

  // A database that cannot be written fails here, before anything runs or is created.
  Store::require_writable(options.db_path);
  if (options.use_cache && !options.cache_path.empty()) Store::require_writable(options.cache_path);
  auto store = Store::open(options.db_path);
  std::unique_ptr<RequestCache> cache;
  if (options.use_cache)
    cache = std::make_unique<RequestCache>(options.cache_path.empty() ? options.db_path
                                                                      : options.cache_path);
  RunOptions run_options;
  run_options.source.data_dir = options.data_dir;
  run_options.source.bundled_dir = std::string(PERSEVAL_SOURCE_DIR) + "/datasets/samples";
  run_options.seed = options.seed;
  run_options.limit = options.limit;
  run_options.threads = options.threads;
  run_options.max_in_flight = options.max_in_flight;
  run_options.progress = options.progress;
  run_options.stop = &g_stop_requested;
  run_options.shard_index = options.shard_index;
  run_options.shard_count = options.shard_count;
  if (!options.prices_path.empty()) {
    std::ifstream in(options.prices_path);
    if (!in) throw InputError(options.prices_path + ": cannot be read (--prices)");
    try {
      run_options.prices = json::parse(in);
    } catch (const json::exception& e) {  // parse_error, or out_of_range for a number overflow
      throw InputError(options.prices_path + ": not valid JSON (" + e.what() + ")");
    }
    if (!run_options.prices.is_object())
      throw InputError(options.prices_path +
                       ": expected an object {model: {input_per_million, output_per_million}}");
  }

  // The judge goes through the same cache (its draws differ by epoch, so each is kept).
  std::unique_ptr<Model> judge;
  std::unique_ptr<CachingModel> cached_judge;
  if (!options.judge_spec.empty()) {
    judge = make_model(Spec::parse(options.judge_spec));
    if (cache && judge->info().backend != "baseline")
      cached_judge = std::make_unique<CachingModel>(*judge, *cache);
    run_options.judge = cached_judge ? static_cast<Model*>(cached_judge.get()) : judge.get();
    run_options.judge_samples = options.judge_samples;
  }

  // A restart of this same command after a kill resumes it: the runs it finished are
  // handed back instead of being run again (see invocation.h).
  run_options.invocation = resume_or_start_invocation(
      *store, invocation_key(task_specs, model_specs, options),
      static_cast<int>(models.size() * tasks.size()));

  std::vector<RunSummary> summaries;
  for (auto& model : models) {
    // Offline baselines answer in microseconds; caching them would only fill the file.
    std::unique_ptr<CachingModel> cached;
    if (cache && model->info().backend != "baseline")
      cached = std::make_unique<CachingModel>(*model, *cache);
    Model& runnable = cached ? static_cast<Model&>(*cached) : *model;
    for (auto& task : tasks) {
      if (g_stop_requested) break;
      summaries.push_back(run_evaluation(*task, runnable, *store, run_options));
    }
  }
  wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summaries;
}

void export_if_asked(const EvaluateOptions& options, const std::vector<RunSummary>& runs) {
  if (options.output_path.empty()) return;
  auto store = Store::open(options.db_path);
  std::vector<RunRecord> records;
  for (const auto& r : runs)
    if (auto stored = store->get_run(r.run.run_id)) records.push_back(*stored);
  for (const auto& path : export_runs(*store, records, options.output_path, options.log_samples))
    std::cerr << "perseval: wrote " << path << "\n";
}

void parse_shard(const std::string& text, int& index, int& count) {
  const auto slash = text.find('/');
  const auto number = [&](const std::string& part) {
    if (part.empty() || part.size() > 6 || part.find_first_not_of("0123456789") != std::string::npos)
      throw InputError("--shard '" + text + "': expected I/N with 0 <= I < N, e.g. 0/4");
    return std::stoi(part);
  };
  if (slash == std::string::npos) number("");
  index = number(text.substr(0, slash));
  count = number(text.substr(slash + 1));
  if (count < 1 || index >= count) throw InputError("--shard '" + text + "': expected I/N with 0 <= I < N, e.g. 0/4");
}

namespace {

std::string overall_metrics_line(const RunSummary& run) {
  std::string out;
  char buf[128];
  for (const auto& m : run.metrics) {
    if (!m.slice_key.empty()) continue;
    if (m.metric.ci_low && m.metric.ci_high)
      std::snprintf(buf, sizeof buf, "%s=%.4f [%.4f,%.4f]  ", m.metric.name.c_str(),
                    m.metric.value, *m.metric.ci_low, *m.metric.ci_high);
    else
      std::snprintf(buf, sizeof buf, "%s=%.4g  ", m.metric.name.c_str(), m.metric.value);
    out += buf;
  }
  return out;
}

}  // namespace

std::string format_run_table(const std::vector<RunSummary>& runs) {
  std::string out;
  for (const auto& r : runs) {
    out += r.run.run_id + "  " + r.run.task + "  " + r.run.model + "\n";
    char buf[160];
    std::snprintf(buf, sizeof buf, "    n=%lld errors=%lld%s%s\n", r.run.n_total, r.errors,
                  r.skipped ? " (finished before this restart)" : r.resumed ? " (resumed)" : "",
                  r.interrupted ? " INTERRUPTED" : "");
    out += buf;
    if (!r.interrupted) out += "    " + overall_metrics_line(r) + "\n";
  }
  return out;
}

std::string format_run_json(const std::vector<RunSummary>& runs, double wall_s) {
  json out{{"runs", json::array()}, {"wall_s", wall_s}};
  for (const auto& r : runs) {
    json metrics = json::object(), cis = json::object();
    for (const auto& m : r.metrics) {
      if (!m.slice_key.empty()) continue;
      metrics[m.metric.name] = m.metric.value;
      if (m.metric.ci_low && m.metric.ci_high)
        cis[m.metric.name] = json::array({*m.metric.ci_low, *m.metric.ci_high});
    }
    out["runs"].push_back(json{{"run_id", r.run.run_id},
                               {"task", r.run.task},
                               {"model", r.run.model},
                               {"n", r.run.n_total},
                               {"errors", r.errors},
                               {"status", r.run.status},
                               {"resumed", r.resumed},
                               {"skipped", r.skipped},
                               {"metrics", metrics},
                               {"metrics_ci", cis}});
  }
  return out.dump(2);
}

}  // namespace perseval::cli
