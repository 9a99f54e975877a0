#include "harness/store/schema.h"

#include <array>
#include <stdexcept>
#include <string>

#include <sqlite3.h>

namespace perseval {
namespace {

// Version 1, the initial schema. Conventions that hold for every later step too:
// - JSON values are TEXT holding compact JSON.
// - REAL columns are nullable because SQLite stores NaN as NULL; NULL reads back as NaN
//   (or as "absent" for the optional ci_low/ci_high). A NOT NULL REAL column would make
//   INSERT OR IGNORE silently drop a row whose latency happened to be NaN.
// - runs.seed is decimal TEXT: SQLite's INTEGER is signed 64-bit, seeds are uint64.
// - runs.sample_limit is RunRecord::limit; LIMIT is an SQL keyword.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE schema_version(version INTEGER NOT NULL);

CREATE TABLE runs(
  run_id              TEXT PRIMARY KEY NOT NULL,
  config_key          TEXT NOT NULL,
  task                TEXT NOT NULL,
  task_version        TEXT NOT NULL,
  task_params         TEXT NOT NULL,
  model               TEXT NOT NULL,
  model_identity      TEXT NOT NULL,
  gen_config          TEXT NOT NULL,
  dataset_fingerprint TEXT NOT NULL,
  seed                TEXT NOT NULL,
  sample_limit        INTEGER NOT NULL,
  harness_version     TEXT NOT NULL,
  git_revision        TEXT NOT NULL,
  started_at          TEXT NOT NULL,
  finished_at         TEXT NOT NULL,
  status              TEXT NOT NULL,
  n_total             INTEGER NOT NULL,
  wall_s              REAL,
  notes               TEXT NOT NULL
);
CREATE INDEX runs_by_config_key ON runs(config_key, started_at);

CREATE TABLE samples(
  run_id            TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  sample_id         TEXT NOT NULL,
  seq               INTEGER NOT NULL,
  user_id           TEXT NOT NULL,
  slices            TEXT NOT NULL,
  prompt_hash       TEXT NOT NULL,
  target            TEXT NOT NULL,
  output            TEXT NOT NULL,
  parsed            TEXT NOT NULL,
  scores            TEXT NOT NULL,
  latency_ms        REAL,
  prompt_tokens     INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  attempts          INTEGER NOT NULL,
  error             TEXT,
  PRIMARY KEY(run_id, sample_id)
);
CREATE INDEX samples_by_seq ON samples(run_id, seq);

CREATE TABLE metrics(
  run_id      TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  slice_key   TEXT NOT NULL,
  slice_value TEXT NOT NULL,
  name        TEXT NOT NULL,
  value       REAL,
  n           INTEGER NOT NULL,
  ci_low      REAL,
  ci_high     REAL,
  PRIMARY KEY(run_id, slice_key, slice_value, name)
);
)sql";

// Version 2: the request cache (key = SHA-256 of the canonical request, see
// harness/cache) and whether a sample's completion was served from it.
constexpr const char* kRequestCacheSchema = R"sql(
ALTER TABLE samples ADD COLUMN cached INTEGER NOT NULL DEFAULT 0;

CREATE TABLE request_cache(
  key        TEXT PRIMARY KEY NOT NULL,
  model      TEXT NOT NULL,
  response   TEXT NOT NULL,
  created_at TEXT NOT NULL
);
)sql";

// Version 3: every judge verdict of a sample (judged tasks), kept verbatim with its parse.
constexpr const char* kJudgementsSchema = R"sql(
CREATE TABLE judgements(
  run_id        TEXT NOT NULL,
  sample_id     TEXT NOT NULL,
  request_index INTEGER NOT NULL,
  draw          INTEGER NOT NULL,
  raw_text      TEXT NOT NULL,
  verdict       TEXT NOT NULL,
  confidence    REAL,
  parse_status  TEXT NOT NULL,
  error         TEXT,
  latency_ms    REAL,
  PRIMARY KEY(run_id, sample_id, request_index, draw),
  FOREIGN KEY(run_id, sample_id) REFERENCES samples(run_id, sample_id) ON DELETE CASCADE
);
)sql";

constexpr std::array<Migration, 3> kMigrations = {{
    {1, kInitialSchema},
    {2, kRequestCacheSchema},
    {3, kJudgementsSchema},
}};

// Counts the schema objects; this is also the first read of the file, where sqlite notices
// that a file is not a database at all.
int64_t count_schema_objects(SqliteDb& db) {
  try {
    SqliteStatement count(db, "SELECT count(*) FROM sqlite_master");
    count.step();
    return count.integer(0);
  } catch (const SqliteError& e) {
    if ((e.code() & 0xff) == SQLITE_NOTADB) {
      throw std::runtime_error(db.path() +
                               ": not a perseval store (the file is not a SQLite database)");
    }
    throw;
  }
}

bool has_table(SqliteDb& db, const char* name) {
  SqliteStatement find(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  find.bind_text(1, name);
  return find.step();
}

}  // namespace

std::span<const Migration> schema_migrations() { return kMigrations; }

int latest_schema_version() { return kMigrations.back().version; }

int checked_schema_version(SqliteDb& db) {
  if (count_schema_objects(db) == 0) return 0;
  if (!has_table(db, "schema_version")) {
    throw std::runtime_error(db.path() +
                             ": a SQLite database but not a perseval store "
                             "(it has no schema_version table)");
  }
  SqliteStatement read(db, "SELECT max(version) FROM schema_version");
  if (!read.step() || read.is_null(0)) {
    throw std::runtime_error(db.path() + ": the schema_version table is empty; "
                             "not a perseval store, or a damaged one");
  }
  int64_t version = read.integer(0);
  if (version > latest_schema_version()) {
    throw std::runtime_error(db.path() + ": schema version " + std::to_string(version) +
                             " is newer than this perseval supports (" +
                             std::to_string(latest_schema_version()) +
                             "); use a newer perseval to open it");
  }
  if (version < 1) {
    throw std::runtime_error(db.path() + ": invalid schema version " + std::to_string(version));
  }
  return static_cast<int>(version);
}

void migrate_schema(SqliteDb& db) {
  SqliteTransaction transaction(db);
  int from = checked_schema_version(db);
  if (from == latest_schema_version()) return;  // another process migrated meanwhile
  for (const Migration& step : kMigrations) {
    if (step.version <= from) continue;
    try {
      db.exec(step.sql);
    } catch (const SqliteError& e) {
      throw std::runtime_error(std::string(e.what()) + " (migrating the schema to version " +
                               std::to_string(step.version) + ")");
    }
  }
  db.exec("DELETE FROM schema_version");
  SqliteStatement write(db, "INSERT INTO schema_version(version) VALUES (?)");
  write.bind_int(1, latest_schema_version());
  write.run();
  transaction.commit();
}

}  // namespace perseval
