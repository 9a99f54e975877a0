// The store's schema and its forward migrations, private to harness/store.
#pragma once

#include <span>

#include "harness/store/sqlite_db.h"

namespace perseval {

// One forward migration: the SQL script that takes the schema from `version - 1` to `version`.
// Steps are never edited once released; a schema change appends a new step.
struct Migration {
  int version;
  const char* sql;
};

// All migrations, ordered by version, starting at 1 (the initial schema).
std::span<const Migration> schema_migrations();

// The schema version this binary writes: the last migration's version.
int latest_schema_version();

// The version stored in the file, 0 for an empty database. Reads only, so a foreign file is
// never modified. Throws std::runtime_error naming the path for a file that is not SQLite,
// a SQLite file that is not a perseval store, or a schema newer than this binary knows.
int checked_schema_version(SqliteDb& db);

// Applies the missing migrations in one IMMEDIATE transaction. The version is re-read inside
// the transaction, so two processes opening a fresh file at once migrate it exactly once.
void migrate_schema(SqliteDb& db);

}  // namespace perseval
