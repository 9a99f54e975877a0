// The SQLite store: runs, per-sample results and aggregate metrics in one file.
// Schema has a version table and forward migrations; the database runs in WAL mode.
// A Store object owns one connection and is NOT safe to share between threads: the runner
// gives it to one writer thread (ResultWriter). Other processes may read concurrently.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "harness/core/types.h"

namespace perseval {

// Everything needed to identify and reproduce a run. `config_key` hashes the parts that
// define "the same configuration" (task spec+version, model identity, generation config,
// dataset fingerprint, seed, limit); a rerun with the same key resumes an unfinished run.
struct RunRecord {
  std::string run_id;
  std::string config_key;
  std::string task;          // canonical task spec
  std::string task_version;
  json task_params = json::object();
  std::string model;         // canonical model spec (never holds secrets)
  json model_identity = json::object();
  json gen_config = json::object();
  std::string dataset_fingerprint;
  uint64_t seed = 0;
  long long limit = -1;      // -1: no limit
  std::string harness_version;
  std::string git_revision;
  std::string started_at;    // ISO-8601 UTC
  std::string finished_at;   // empty while running
  std::string status;        // "running", "finished", "interrupted", "failed"
  long long n_total = 0;     // samples in the run (known once loading finished)
  double wall_s = 0.0;
  json notes = json::object();  // e.g. skipped records, warnings
};

// One sample's stored result.
struct SampleRow {
  std::string sample_id;
  long long seq = 0;          // position in the loaded stream; results are read back in this order
  std::string user_id;
  json slices = json::object();
  std::string prompt_hash;
  std::string target;
  std::string output;
  std::string parsed;
  json scores = json::object();  // name -> number
  double latency_ms = 0.0;
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  int attempts = 0;
  std::optional<std::string> error;
  bool cached = false;        // the completion came from the request cache (no model call)
  std::vector<Judgement> judgements;  // written with the row; read back by read_judgements
};

// A stored judge verdict with the sample it belongs to.
struct StoredJudgement {
  std::string sample_id;
  Judgement judgement;
};

// A stored aggregate: metric of the whole run (slice_key empty) or of one slice value.
struct StoredMetric {
  std::string slice_key;    // "" for the whole run, else e.g. "user"
  std::string slice_value;  // "" for the whole run
  MetricValue metric;
};

class Store {
 public:
  // Opens (creating parent directories and the file if needed) and migrates to the current
  // schema. Throws std::runtime_error naming the path on failure (unreadable, not a
  // perseval database, newer schema than this binary knows).
  static std::unique_ptr<Store> open(const std::string& path);
  // Throws std::runtime_error naming the path unless this process may write the database at
  // `path`: the file and its -wal and -shm files (those that exist) and the directory,
  // where SQLite creates and removes them. Commands that write call it before open(): a
  // read-only database then fails at once with a clear message, and SQLite leaves no
  // read-only -wal/-shm behind (they would keep failing writes after the permissions are
  // fixed). Root passes unless the file system is read-only.
  static void require_writable(const std::string& path);

  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The schema version this binary writes.
  static int current_schema_version();
  virtual int schema_version() = 0;

  // The most recent run with this config_key whose status is not "finished", if any.
  virtual std::optional<RunRecord> find_unfinished_run(const std::string& config_key) = 0;
  // Inserts a new run. Throws on a duplicate run_id.
  virtual void create_run(const RunRecord& run) = 0;
  // Updates status, finished_at, n_total, wall_s and notes of an existing run.
  virtual void update_run(const RunRecord& run) = 0;
  virtual std::optional<RunRecord> get_run(const std::string& run_id) = 0;
  // All runs, oldest first.
  virtual std::vector<RunRecord> list_runs() = 0;

  // Ids of samples already stored for the run.
  virtual std::unordered_set<std::string> completed_sample_ids(const std::string& run_id) = 0;
  // Writes rows in ONE transaction (all or nothing). A row whose (run_id, sample_id) is
  // already stored is ignored, so a sample is never stored twice. Returns rows inserted.
  virtual size_t write_samples(const std::string& run_id, std::span<const SampleRow> rows) = 0;
  // All rows of a run ordered by seq (without their judgements, which can be many).
  virtual std::vector<SampleRow> read_samples(const std::string& run_id) = 0;
  // Every judgement of a run, ordered by sample seq, request index and draw.
  virtual std::vector<StoredJudgement> read_judgements(const std::string& run_id) = 0;

  // Replaces all metrics of a run in one transaction.
  virtual void replace_metrics(const std::string& run_id,
                               std::span<const StoredMetric> metrics) = 0;
  virtual std::vector<StoredMetric> read_metrics(const std::string& run_id) = 0;

 protected:
  Store() = default;
};

}  // namespace perseval
