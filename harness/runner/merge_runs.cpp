#include "harness/runner/merge_runs.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "harness/core/errors.h"
#include "harness/core/hash.h"
#include "harness/runner/aggregate.h"
#include "harness/runner/usage_summary.h"
#include "harness/store/store.h"
#include "tasks/registry.h"

namespace perseval {
namespace {

// A finished run found in one input database.
struct SourceRun {
  std::string db_path;
  RunRecord run;
  int shard_index = 0;
  int shard_count = 1;
};

int shard_field(const RunRecord& run, const char* field, int fallback) {
  const auto it = run.notes.find("shard");
  if (it == run.notes.end() || !it->is_object()) return fallback;
  return it->value(field, fallback);
}

std::string base_key(const RunRecord& run) {
  return run.notes.value("base_config_key", run.config_key);
}

// Which parts of two configurations differ (for the refusal message).
std::string differing_fields(const RunRecord& a, const RunRecord& b) {
  std::string out;
  const auto add = [&out](bool differs, const char* name) {
    if (differs) out += std::string(out.empty() ? "" : ", ") + name;
  };
  add(a.dataset_fingerprint != b.dataset_fingerprint, "dataset fingerprint");
  add(a.seed != b.seed, "seed");
  add(a.limit != b.limit, "limit");
  add(a.task_version != b.task_version, "task version");
  add(a.model_identity != b.model_identity, "model identity");
  add(a.gen_config != b.gen_config, "generation config");
  add(a.notes.value("judge", json()) != b.notes.value("judge", json()), "judge");
  return out.empty() ? "task parameters" : out;
}

// Copies every sample (with its judgements) of `from` in `source` into run `to_run_id` of
// `out`; samples already there are kept as they are. Returns rows inserted.
long long copy_samples(Store& source, const std::string& from, Store& out, const std::string& to_run_id) {
  std::vector<SampleRow> rows = source.read_samples(from);
  std::map<std::string, std::vector<Judgement>> judgements;
  for (auto& stored : source.read_judgements(from))
    judgements[stored.sample_id].push_back(std::move(stored.judgement));
  for (auto& row : rows)
    if (auto it = judgements.find(row.sample_id); it != judgements.end()) row.judgements = std::move(it->second);
  long long added = 0;
  constexpr size_t kBatch = 2000;
  for (size_t first = 0; first < rows.size(); first += kBatch) {
    const size_t count = std::min(kBatch, rows.size() - first);
    added += static_cast<long long>(out.write_samples(to_run_id, std::span(rows.data() + first, count)));
  }
  return added;
}

// Recomputes the metrics and usage of a joined run from its stored samples with the task's
// own scorer. Throws InputError when this binary's scorer version differs from the run's.
void rescore(Store& out, RunRecord& run) {
  const auto task = make_task(Spec::parse(run.task));
  const TaskInfo info = task->info();
  if (info.version != run.task_version)
    throw InputError("merge: run " + run.run_id + " (" + run.task + ") was scored by task version " +
                     run.task_version + ", this binary has version " + info.version +
                     "; merge it with the perseval that produced it");
  const std::vector<SampleRow> rows = out.read_samples(run.run_id);
  out.replace_metrics(run.run_id, aggregate_run(*task, rows, run.seed));
  ModelInfo model;
  model.name = run.model;
  model.identity = run.model_identity;
  run.notes["usage"] = usage_summary(rows, model, json::object());
  run.n_total = static_cast<long long>(rows.size());
}

void check_inputs(const std::string& out_path, const std::vector<std::string>& inputs) {
  if (inputs.empty()) throw InputError("merge needs OUT.db and at least one IN.db");
  namespace fs = std::filesystem;
  for (const auto& in : inputs) {
    if (!fs::exists(in)) throw InputError(in + ": no such database (merge input)");
    if (fs::exists(out_path) && fs::equivalent(in, out_path))
      throw InputError(in + ": is the output database itself");
  }
}

}  // namespace

MergeReport merge_databases(const std::string& out_path, const std::vector<std::string>& inputs) {
  check_inputs(out_path, inputs);
  MergeReport report;
  std::vector<SourceRun> found;
  for (const auto& path : inputs) {
    auto store = Store::open(path);
    for (auto& run : store->list_runs()) {
      if (run.status != "finished") {
        report.warnings.push_back(path + ": run " + run.run_id + " (" + run.task + ", " + run.model +
                                  ") is " + run.status + ", not merged");
        continue;
      }
      SourceRun s{path, run, shard_field(run, "index", 0), shard_field(run, "count", 1)};
      found.push_back(std::move(s));
    }
  }

  // Shard sets by base configuration key; each must agree on N.
  std::map<std::string, std::vector<const SourceRun*>> shard_sets;
  for (const auto& s : found)
    if (s.shard_count > 1) shard_sets[base_key(s.run)].push_back(&s);
  for (const auto& [key, members] : shard_sets)
    for (const auto* m : members)
      if (m->shard_count != members.front()->shard_count)
        throw InputError("merge: " + m->db_path + " run " + m->run.run_id + " is shard " +
                         std::to_string(m->shard_index) + "/" + std::to_string(m->shard_count) + " but " +
                         members.front()->db_path + " run " + members.front()->run.run_id + " is shard " +
                         std::to_string(members.front()->shard_index) + "/" +
                         std::to_string(members.front()->shard_count) + " of the same configuration");
  // Two shard sets of one task and model whose shards would complete each other were run
  // with different configurations: joining either would report a number nobody computed.
  for (auto a = shard_sets.begin(); a != shard_sets.end(); ++a)
    for (auto b = std::next(a); b != shard_sets.end(); ++b) {
      const RunRecord& ra = a->second.front()->run;
      const RunRecord& rb = b->second.front()->run;
      if (ra.task == rb.task && ra.model == rb.model &&
          a->second.front()->shard_count == b->second.front()->shard_count)
        throw InputError("merge: shards of " + ra.task + " × " + ra.model + " come from different "
                         "configurations (differing: " + differing_fields(ra, rb) + "): runs " +
                         ra.run_id + " in " + a->second.front()->db_path + " and " + rb.run_id + " in " +
                         b->second.front()->db_path);
    }

  auto out = Store::open(out_path);
  std::map<std::string, std::unique_ptr<Store>> sources;
  const auto source = [&](const std::string& path) -> Store& {
    auto& slot = sources[path];
    if (!slot) slot = Store::open(path);
    return *slot;
  };

  // Unsharded runs: copied under their own id, metrics as stored.
  for (const auto& s : found) {
    if (s.shard_count > 1) continue;
    if (!out->get_run(s.run.run_id)) {
      RunRecord copy = s.run;
      copy.status = "running";  // until its samples and metrics are in
      out->create_run(copy);
    }
    report.samples_added += copy_samples(source(s.db_path), s.run.run_id, *out, s.run.run_id);
    out->replace_metrics(s.run.run_id, source(s.db_path).read_metrics(s.run.run_id));
    out->update_run(s.run);
    ++report.runs_copied;
  }

  // Shard sets: one run per configuration, rescored from the joined samples.
  for (const auto& [key, members] : shard_sets) {
    const RunRecord& first = members.front()->run;
    RunRecord joined = first;
    joined.run_id = hex64(fnv1a64("merge:" + key)).substr(0, 12);
    joined.config_key = key;
    joined.notes.erase("shard");
    joined.notes.erase("stream_samples");
    joined.notes.erase("usage");
    std::set<int> have;
    long long stream = 0;
    double wall = 0;
    std::string started = first.started_at, finished = first.finished_at;
    if (const auto existing = out->get_run(joined.run_id)) {
      // Shards merged by an earlier call count as present too.
      const json merged = existing->notes.value("merged", json::object());
      for (const auto& i : merged.value("present", json::array())) have.insert(i.get<int>());
      stream = merged.value("stream_samples", 0LL);
      wall = existing->wall_s;
      started = std::min(started, existing->started_at);
      finished = std::max(finished, existing->finished_at);
    } else {
      joined.status = "running";
      out->create_run(joined);
    }
    for (const auto* m : members) {
      report.samples_added += copy_samples(source(m->db_path), m->run.run_id, *out, joined.run_id);
      have.insert(m->shard_index);
      stream = std::max<long long>(stream, m->run.notes.value("stream_samples", 0LL));
      wall = std::max(wall, m->run.wall_s);
      started = std::min(started, m->run.started_at);
      finished = std::max(finished, m->run.finished_at);
    }
    const int count = members.front()->shard_count;
    json missing = json::array();
    for (int i = 0; i < count; ++i)
      if (!have.count(i)) missing.push_back(i);
    rescore(*out, joined);
    joined.notes["merged"] = json{{"shards", count}, {"present", json(have)}, {"stream_samples", stream}};
    joined.wall_s = wall;
    joined.started_at = started;
    joined.finished_at = finished;
    joined.status = "finished";
    if (!missing.empty() || (stream > 0 && joined.n_total != stream)) {
      joined.status = "partial";
      joined.notes["merged"]["missing_shards"] = missing;
      report.warnings.push_back(first.task + " × " + first.model + ": " + std::to_string(joined.n_total) +
                                " of " + std::to_string(stream) + " samples, missing shards " + missing.dump() +
                                " (stored as status 'partial'; merge again when they are done)");
    }
    out->update_run(joined);
    ++report.runs_joined;
  }
  return report;
}

}  // namespace perseval
