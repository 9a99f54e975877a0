// Thin RAII over the sqlite3 C API, private to harness/store: a connection, a prepared
// statement and a transaction. Every error becomes a SqliteError whose message starts with
// the database path, so a failure deep in the store still says which file it was about.
// None of these objects is safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace perseval {

// A failed sqlite3 call. `code()` is the (extended) sqlite result code, e.g. SQLITE_NOTADB,
// so callers can turn the few codes users meet into clearer messages.
class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// One open connection, closed by the destructor. Statements borrow it and must not outlive it.
class SqliteDb {
 public:
  // Opens or creates the file read-write. Throws SqliteError naming the path on failure.
  explicit SqliteDb(const std::string& path);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more SQL statements that return no rows the caller needs.
  void exec(const std::string& sql);
  // Runs a statement returning one text value (e.g. a PRAGMA); empty if it returned no row.
  std::string query_text(const std::string& sql);
  // Rows changed by the most recent INSERT/UPDATE/DELETE.
  int64_t changes() const;
  // Throws SqliteError "PATH: WHAT: <sqlite message>" for result code `code`.
  [[noreturn]] void fail(int code, const std::string& what) const;
  // How long a statement waits for another connection's lock before failing with
  // SQLITE_BUSY (sqlite3_busy_timeout); the error message then says how long it waited.
  void set_busy_timeout(int ms);
  // sqlite's message for the failed call that returned `code`, with what it means for the
  // failures users meet: a lock held elsewhere, a read-only file, a full disk, and the
  // operating system's reason for an I/O or open failure.
  std::string describe(int code) const;

  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  int busy_timeout_ms_ = 0;
};

// One prepared statement. Parameter and column indexes follow sqlite: binds are 1-based,
// columns 0-based. Doubles: SQLite stores NaN as NULL, so bind_real(NaN) binds NULL and
// real() reads NULL back as NaN; the schema keeps REAL columns nullable for that reason.
class SqliteStatement {
 public:
  // Prepares `sql` (one statement). Throws SqliteError on a syntax or schema error.
  SqliteStatement(SqliteDb& db, std::string_view sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Binding copies the value, so temporaries may be passed.
  void bind_text(int index, std::string_view value);
  void bind_int(int index, int64_t value);
  void bind_real(int index, double value);
  void bind_null(int index);
  void bind_optional_text(int index, const std::optional<std::string>& value);
  void bind_optional_real(int index, const std::optional<double>& value);

  // Advances: true when a row is available, false when done. Throws SqliteError on error
  // (e.g. a constraint violation); the statement is reset first so it holds no locks.
  bool step();
  // Steps a statement that returns no rows (INSERT, UPDATE, DELETE).
  void run();
  // Makes the statement reusable with new bindings.
  void reset();

  bool is_null(int column) const;
  std::string text(int column) const;  // NULL reads as ""
  std::optional<std::string> optional_text(int column) const;
  int64_t integer(int column) const;
  double real(int column) const;  // NULL reads as NaN
  std::optional<double> optional_real(int column) const;

 private:
  void check_bind(int rc, int index);
  SqliteDb& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// An IMMEDIATE transaction: takes the write lock at once (waiting up to the busy timeout),
// so a writer never fails half-way on a lock upgrade. Rolls back on destruction unless
// commit() succeeded, which makes every early return and exception all-or-nothing.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDb& db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  // Throws SqliteError if the commit fails; the destructor then rolls back.
  void commit();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace perseval
