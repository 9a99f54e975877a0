#include "harness/store/sqlite_db.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>

#include <sqlite3.h>

namespace perseval {

SqliteDb::SqliteDb(const std::string& path) : path_(path) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                           nullptr);
  if (rc != SQLITE_OK) {
    // sqlite3_open_v2 allocates a handle even on failure; it carries the message.
    std::string message = describe(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw SqliteError(rc, path + ": cannot open database: " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

void SqliteDb::set_busy_timeout(int ms) {
  sqlite3_busy_timeout(db_, ms);
  busy_timeout_ms_ = ms;
}

std::string SqliteDb::describe(int code) const {
  const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
  const int os_error = db_ ? sqlite3_system_errno(db_) : 0;
  const std::string os_reason = os_error != 0 ? std::strerror(os_error) : "";
  switch (code & 0xff) {
    case SQLITE_BUSY:
      return message + ": another process holds its lock (waited " + std::to_string(busy_timeout_ms_) +
             " ms for it)";
    case SQLITE_READONLY:
      return message + ": the database cannot be written (check the permissions of the file, of its -wal "
                       "and -shm files and of its directory)";
    case SQLITE_FULL:
      return message + ": no space left for the database";
    case SQLITE_IOERR:
      if (os_error == ENOSPC || os_error == EDQUOT || os_error == EFBIG)
        return message + ": no space left for the database (" + os_reason + ")";
      // The unix VFS rarely keeps the errno of a failed write, so say what it usually is.
      if (code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_FSYNC || code == SQLITE_IOERR_TRUNCATE ||
          code == SQLITE_IOERR_SHMSIZE)
        return message + ": writing the database failed (disk full, a file size limit, or a failing disk)";
      return os_reason.empty() ? message : message + " (" + os_reason + ")";
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return os_reason.empty() ? message : message + " (" + os_reason + ")";
    default:
      return message;
  }
}

void SqliteDb::exec(const std::string& sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    sqlite3_free(message);  // describe() reads the same text from the connection
    throw SqliteError(rc, path_ + ": " + describe(rc));
  }
}

std::string SqliteDb::query_text(const std::string& sql) {
  SqliteStatement statement(*this, sql);
  return statement.step() ? statement.text(0) : std::string();
}

int64_t SqliteDb::changes() const { return sqlite3_changes64(db_); }

void SqliteDb::fail(int code, const std::string& what) const {
  throw SqliteError(code, path_ + ": " + what + ": " + describe(code));
}

SqliteStatement::SqliteStatement(SqliteDb& db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_,
                              nullptr);
  if (rc != SQLITE_OK) db.fail(rc, "cannot prepare \"" + std::string(sql.substr(0, 60)) + "\"");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::check_bind(int rc, int index) {
  if (rc != SQLITE_OK) db_.fail(rc, "cannot bind parameter " + std::to_string(index));
}

void SqliteStatement::bind_text(int index, std::string_view value) {
  check_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8),
             index);
}

void SqliteStatement::bind_int(int index, int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_, index, value), index);
}

void SqliteStatement::bind_real(int index, double value) {
  if (std::isnan(value)) return bind_null(index);
  check_bind(sqlite3_bind_double(stmt_, index, value), index);
}

void SqliteStatement::bind_null(int index) { check_bind(sqlite3_bind_null(stmt_, index), index); }

void SqliteStatement::bind_optional_text(int index, const std::optional<std::string>& value) {
  if (value) bind_text(index, *value);
  else bind_null(index);
}

void SqliteStatement::bind_optional_real(int index, const std::optional<double>& value) {
  if (value) bind_real(index, *value);
  else bind_null(index);
}

bool SqliteStatement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Read the message before reset; reset releases the statement's locks.
  std::string message = db_.describe(rc);
  sqlite3_reset(stmt_);
  throw SqliteError(rc, db_.path() + ": " + message);
}

void SqliteStatement::run() {
  while (step()) {
  }
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool SqliteStatement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string SqliteStatement::text(int column) const {
  // Take the pointer before the length: the documented safe order for conversions.
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  int size = sqlite3_column_bytes(stmt_, column);
  return data ? std::string(data, static_cast<size_t>(size)) : std::string();
}

std::optional<std::string> SqliteStatement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

int64_t SqliteStatement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

double SqliteStatement::real(int column) const {
  if (is_null(column)) return std::numeric_limits<double>::quiet_NaN();
  return sqlite3_column_double(stmt_, column);
}

std::optional<double> SqliteStatement::optional_real(int column) const {
  if (is_null(column)) return std::nullopt;
  return sqlite3_column_double(stmt_, column);
}

SqliteTransaction::SqliteTransaction(SqliteDb& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

SqliteTransaction::~SqliteTransaction() {
  // Some errors (disk full, I/O) make sqlite roll back by itself; then autocommit is on
  // again and a second ROLLBACK would only produce an error nobody can handle here.
  if (!done_ && sqlite3_get_autocommit(db_.handle()) == 0) {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void SqliteTransaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace perseval
