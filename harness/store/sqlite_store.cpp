// Store backed by one SQLite file; see store.h for the contract and schema.cpp for the tables.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

#include <sqlite3.h>

#include "harness/store/json_text.h"
#include "harness/store/schema.h"
#include "harness/store/sqlite_db.h"
#include "harness/store/store.h"

namespace perseval {
namespace {

// Long enough to ride out a report reading or a second writer checkpointing, short enough
// that a genuinely stuck lock surfaces as an error instead of a hang.
constexpr int kBusyTimeoutMs = 5000;

constexpr const char* kRunColumns =
    "run_id, config_key, task, task_version, task_params, model, model_identity, gen_config, "
    "dataset_fingerprint, seed, sample_limit, harness_version, git_revision, started_at, "
    "finished_at, status, n_total, wall_s, notes";

constexpr const char* kSampleColumns =
    "sample_id, seq, user_id, slices, prompt_hash, target, output, parsed, scores, latency_ms, "
    "prompt_tokens, completion_tokens, attempts, error, cached";

std::string seed_text(uint64_t seed) { return std::to_string(seed); }

uint64_t parse_seed(const std::string& text, const std::string& what) {
  uint64_t seed = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw std::runtime_error(what + ": stored seed \"" + text + "\" is not an unsigned integer");
  }
  return seed;
}

// Reads one row selected with kRunColumns.
RunRecord read_run(const SqliteStatement& row, const std::string& path) {
  RunRecord run;
  run.run_id = row.text(0);
  const std::string what = path + ": run " + run.run_id;
  run.config_key = row.text(1);
  run.task = row.text(2);
  run.task_version = row.text(3);
  run.task_params = from_json_text(row.text(4), what + " task_params");
  run.model = row.text(5);
  run.model_identity = from_json_text(row.text(6), what + " model_identity");
  run.gen_config = from_json_text(row.text(7), what + " gen_config");
  run.dataset_fingerprint = row.text(8);
  run.seed = parse_seed(row.text(9), what);
  run.limit = row.integer(10);
  run.harness_version = row.text(11);
  run.git_revision = row.text(12);
  run.started_at = row.text(13);
  run.finished_at = row.text(14);
  run.status = row.text(15);
  run.n_total = row.integer(16);
  run.wall_s = row.real(17);
  run.notes = from_json_text(row.text(18), what + " notes");
  return run;
}

// Reads one row selected with kSampleColumns.
SampleRow read_sample(const SqliteStatement& row, const std::string& where) {
  SampleRow sample;
  sample.sample_id = row.text(0);
  const std::string what = where + " sample " + sample.sample_id;
  sample.seq = row.integer(1);
  sample.user_id = row.text(2);
  sample.slices = from_json_text(row.text(3), what + " slices");
  sample.prompt_hash = row.text(4);
  sample.target = row.text(5);
  sample.output = row.text(6);
  sample.parsed = row.text(7);
  sample.scores = scores_from_json_text(row.text(8), what + " scores");
  sample.latency_ms = row.real(9);
  sample.prompt_tokens = row.integer(10);
  sample.completion_tokens = row.integer(11);
  sample.attempts = static_cast<int>(row.integer(12));
  sample.error = row.optional_text(13);
  sample.cached = row.integer(14) != 0;
  return sample;
}

void bind_sample(SqliteStatement& insert, const std::string& run_id, const SampleRow& sample) {
  insert.bind_text(1, run_id);
  insert.bind_text(2, sample.sample_id);
  insert.bind_int(3, sample.seq);
  insert.bind_text(4, sample.user_id);
  insert.bind_text(5, to_json_text(sample.slices));
  insert.bind_text(6, sample.prompt_hash);
  insert.bind_text(7, sample.target);
  insert.bind_text(8, sample.output);
  insert.bind_text(9, sample.parsed);
  insert.bind_text(10, scores_to_json_text(sample.scores));
  insert.bind_real(11, sample.latency_ms);
  insert.bind_int(12, sample.prompt_tokens);
  insert.bind_int(13, sample.completion_tokens);
  insert.bind_int(14, sample.attempts);
  insert.bind_optional_text(15, sample.error);
  insert.bind_int(16, sample.cached ? 1 : 0);
}

// Creates the directories a new database file will live in.
void create_parent_directories(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    throw std::runtime_error(path + ": cannot create directory " + parent.string() + ": " +
                             ec.message());
  }
}

// Not safe to share between threads (one connection, no locking of its own); see store.h.
class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::string& path) : db_(path) {
    db_.set_busy_timeout(kBusyTimeoutMs);
    // Identify the file before changing anything in it: a foreign database must be left as
    // it was, not switched to WAL.
    int version = checked_schema_version(db_);
    // WAL lets reports read while a run writes; it is a property of the file and sticks.
    // A filesystem without shared memory keeps the old mode; the store still works.
    db_.query_text("PRAGMA journal_mode=WAL");
    // In WAL mode NORMAL cannot corrupt the file; a power cut loses at most the last commits,
    // which a resumed run redoes.
    db_.exec("PRAGMA synchronous=NORMAL");
    db_.exec("PRAGMA foreign_keys=ON");
    if (version < latest_schema_version()) migrate_schema(db_);
  }

  int schema_version() override { return checked_schema_version(db_); }

  std::optional<RunRecord> find_unfinished_run(const std::string& config_key) override {
    // rowid breaks ties between runs started within the same second.
    SqliteStatement find(db_, std::string("SELECT ") + kRunColumns +
                                  " FROM runs WHERE config_key = ? AND status <> 'finished'"
                                  " ORDER BY started_at DESC, rowid DESC LIMIT 1");
    find.bind_text(1, config_key);
    if (!find.step()) return std::nullopt;
    return read_run(find, db_.path());
  }

  void create_run(const RunRecord& run) override {
    SqliteStatement insert(db_, std::string("INSERT INTO runs(") + kRunColumns +
                                    ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    insert.bind_text(1, run.run_id);
    insert.bind_text(2, run.config_key);
    insert.bind_text(3, run.task);
    insert.bind_text(4, run.task_version);
    insert.bind_text(5, to_json_text(run.task_params));
    insert.bind_text(6, run.model);
    insert.bind_text(7, to_json_text(run.model_identity));
    insert.bind_text(8, to_json_text(run.gen_config));
    insert.bind_text(9, run.dataset_fingerprint);
    insert.bind_text(10, seed_text(run.seed));
    insert.bind_int(11, run.limit);
    insert.bind_text(12, run.harness_version);
    insert.bind_text(13, run.git_revision);
    insert.bind_text(14, run.started_at);
    insert.bind_text(15, run.finished_at);
    insert.bind_text(16, run.status);
    insert.bind_int(17, run.n_total);
    insert.bind_real(18, run.wall_s);
    insert.bind_text(19, to_json_text(run.notes));
    try {
      insert.run();
    } catch (const SqliteError& e) {
      throw std::runtime_error(std::string(e.what()) + " (creating run " + run.run_id + ")");
    }
  }

  void update_run(const RunRecord& run) override {
    SqliteStatement update(db_,
                           "UPDATE runs SET status = ?, finished_at = ?, n_total = ?, "
                           "wall_s = ?, notes = ? WHERE run_id = ?");
    update.bind_text(1, run.status);
    update.bind_text(2, run.finished_at);
    update.bind_int(3, run.n_total);
    update.bind_real(4, run.wall_s);
    update.bind_text(5, to_json_text(run.notes));
    update.bind_text(6, run.run_id);
    update.run();
    if (db_.changes() == 0) {
      throw std::runtime_error(db_.path() + ": cannot update run " + run.run_id +
                               ": no such run");
    }
  }

  std::optional<RunRecord> get_run(const std::string& run_id) override {
    SqliteStatement get(db_, std::string("SELECT ") + kRunColumns + " FROM runs WHERE run_id = ?");
    get.bind_text(1, run_id);
    if (!get.step()) return std::nullopt;
    return read_run(get, db_.path());
  }

  std::vector<RunRecord> list_runs() override {
    SqliteStatement list(db_, std::string("SELECT ") + kRunColumns +
                                  " FROM runs ORDER BY started_at, rowid");
    std::vector<RunRecord> runs;
    while (list.step()) runs.push_back(read_run(list, db_.path()));
    return runs;
  }

  std::unordered_set<std::string> completed_sample_ids(const std::string& run_id) override {
    SqliteStatement select(db_, "SELECT sample_id FROM samples WHERE run_id = ?");
    select.bind_text(1, run_id);
    std::unordered_set<std::string> ids;
    while (select.step()) ids.insert(select.text(0));
    return ids;
  }

  size_t write_samples(const std::string& run_id, std::span<const SampleRow> rows) override {
    if (rows.empty()) return 0;
    size_t inserted = 0;
    try {
      SqliteTransaction transaction(db_);
      // OR IGNORE skips rows whose (run_id, sample_id) is stored already, so a sample
      // finished twice (a resume racing a late completion) is kept once. It does not
      // ignore foreign-key errors: rows of an unknown run fail the batch.
      SqliteStatement insert(db_, std::string("INSERT OR IGNORE INTO samples(run_id, ") +
                                      kSampleColumns +
                                      ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      SqliteStatement insert_judgement(
          db_,
          "INSERT OR IGNORE INTO judgements(run_id, sample_id, request_index, draw, raw_text, "
          "verdict, confidence, parse_status, error, latency_ms) VALUES (?,?,?,?,?,?,?,?,?,?)");
      for (const SampleRow& sample : rows) {
        bind_sample(insert, run_id, sample);
        insert.run();
        const bool new_row = db_.changes() > 0;
        inserted += static_cast<size_t>(db_.changes());
        insert.reset();
        if (!new_row) continue;  // a duplicate keeps its first judgements too
        for (const Judgement& j : sample.judgements) {
          insert_judgement.bind_text(1, run_id);
          insert_judgement.bind_text(2, sample.sample_id);
          insert_judgement.bind_int(3, j.request_index);
          insert_judgement.bind_int(4, j.draw);
          insert_judgement.bind_text(5, j.raw_text);
          insert_judgement.bind_text(6, j.verdict.dump());
          insert_judgement.bind_optional_real(7, j.confidence);
          insert_judgement.bind_text(8, j.parse_status);
          insert_judgement.bind_optional_text(9, j.error);
          insert_judgement.bind_real(10, j.latency_ms);
          insert_judgement.run();
          insert_judgement.reset();
        }
      }
      transaction.commit();
    } catch (const SqliteError& e) {
      // The transaction rolled back while unwinding: nothing of this batch is stored and
      // earlier batches are untouched.
      throw std::runtime_error(std::string(e.what()) + " (writing " + std::to_string(rows.size()) +
                               " samples of run " + run_id + "; none of them was stored)");
    }
    return inserted;
  }

  std::vector<SampleRow> read_samples(const std::string& run_id) override {
    SqliteStatement select(db_, std::string("SELECT ") + kSampleColumns +
                                    " FROM samples WHERE run_id = ? ORDER BY seq, sample_id");
    select.bind_text(1, run_id);
    const std::string where = db_.path() + ": run " + run_id;
    std::vector<SampleRow> samples;
    while (select.step()) samples.push_back(read_sample(select, where));
    return samples;
  }

  std::vector<StoredJudgement> read_judgements(const std::string& run_id) override {
    SqliteStatement select(
        db_,
        "SELECT j.sample_id, j.request_index, j.draw, j.raw_text, j.verdict, j.confidence, "
        "j.parse_status, j.error, j.latency_ms FROM judgements j JOIN samples s "
        "ON s.run_id = j.run_id AND s.sample_id = j.sample_id WHERE j.run_id = ? "
        "ORDER BY s.seq, j.sample_id, j.request_index, j.draw");
    select.bind_text(1, run_id);
    std::vector<StoredJudgement> out;
    while (select.step()) {
      StoredJudgement stored;
      stored.sample_id = select.text(0);
      Judgement& j = stored.judgement;
      j.request_index = static_cast<int>(select.integer(1));
      j.draw = static_cast<int>(select.integer(2));
      j.raw_text = select.text(3);
      j.verdict = from_json_text(select.text(4), db_.path() + ": judgement of " + stored.sample_id);
      j.confidence = select.optional_real(5);
      j.parse_status = select.text(6);
      j.error = select.optional_text(7);
      j.latency_ms = select.real(8);
      out.push_back(std::move(stored));
    }
    return out;
  }

  void replace_metrics(const std::string& run_id,
                       std::span<const StoredMetric> metrics) override {
    try {
      SqliteTransaction transaction(db_);
      SqliteStatement remove(db_, "DELETE FROM metrics WHERE run_id = ?");
      remove.bind_text(1, run_id);
      remove.run();
      SqliteStatement insert(db_,
                             "INSERT INTO metrics(run_id, slice_key, slice_value, name, value, n, "
                             "ci_low, ci_high) VALUES (?,?,?,?,?,?,?,?)");
      for (const StoredMetric& stored : metrics) {
        insert.bind_text(1, run_id);
        insert.bind_text(2, stored.slice_key);
        insert.bind_text(3, stored.slice_value);
        insert.bind_text(4, stored.metric.name);
        insert.bind_real(5, stored.metric.value);
        insert.bind_int(6, stored.metric.n);
        insert.bind_optional_real(7, stored.metric.ci_low);
        insert.bind_optional_real(8, stored.metric.ci_high);
        insert.run();
        insert.reset();
      }
      transaction.commit();
    } catch (const SqliteError& e) {
      throw std::runtime_error(std::string(e.what()) + " (replacing the metrics of run " + run_id +
                               "; the previous metrics are kept)");
    }
  }

  std::vector<StoredMetric> read_metrics(const std::string& run_id) override {
    // rowid order is the order replace_metrics was given, e.g. the task's primary metric first.
    SqliteStatement select(db_,
                           "SELECT slice_key, slice_value, name, value, n, ci_low, ci_high "
                           "FROM metrics WHERE run_id = ? ORDER BY rowid");
    select.bind_text(1, run_id);
    std::vector<StoredMetric> metrics;
    while (select.step()) {
      StoredMetric stored;
      stored.slice_key = select.text(0);
      stored.slice_value = select.text(1);
      stored.metric.name = select.text(2);
      stored.metric.value = select.real(3);
      stored.metric.n = select.integer(4);
      stored.metric.ci_low = select.optional_real(5);
      stored.metric.ci_high = select.optional_real(6);
      metrics.push_back(std::move(stored));
    }
    return metrics;
  }

 private:
  SqliteDb db_;
};

}  // namespace

std::unique_ptr<Store> Store::open(const std::string& path) {
  create_parent_directories(path);
  return std::make_unique<SqliteStore>(path);
}

void Store::require_writable(const std::string& path) {
  // 0 if the effective user (AT_EACCESS: what open(2) checks) may do `mode`, else errno.
  auto denied = [](const std::string& file, int mode) {
    return ::faccessat(AT_FDCWD, file.c_str(), mode, AT_EACCESS) == 0 ? 0 : errno;
  };
  auto exists = [&](const std::string& file) { return denied(file, F_OK) == 0; };
  if (exists(path)) {
    if (int error = denied(path, W_OK)) {
      throw std::runtime_error(path + ": the database file is read-only (" + std::strerror(error) +
                               "); results cannot be stored there");
    }
  }
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string file = path + suffix;
    if (!exists(file)) continue;
    if (int error = denied(file, W_OK)) {
      throw std::runtime_error(path + ": " + file + " is read-only (" + std::strerror(error) +
                               "); make it writable (a process that could not write the database, e.g. "
                               "a reader without write permission, left it behind)");
    }
  }
  std::string directory = std::filesystem::path(path).parent_path().string();
  if (directory.empty()) directory = ".";
  if (!exists(directory)) return;  // open() creates it
  if (int error = denied(directory, W_OK | X_OK)) {
    throw std::runtime_error(path + ": the directory " + directory + " is not writable (" +
                             std::strerror(error) + "); SQLite keeps " + path + "-wal and " + path +
                             "-shm next to the database");
  }
}

int Store::current_schema_version() { return latest_schema_version(); }

}  // namespace perseval
