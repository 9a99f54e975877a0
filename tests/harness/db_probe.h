// Looking at a perseval database from outside while another process runs on it: read-only
// queries and SQLite's locks, never creating, migrating or writing anything. The crash
// test uses it to learn, while a child is frozen, in which phase a kill will land.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <sqlite3.h>

namespace perseval::test {

// One run as a concurrent reader sees it.
struct ProbedRun {
  std::string run_id;
  std::string task;    // canonical task spec, e.g. "lamp-3:k=2,..."
  std::string status;  // "running", "finished", ...
  long long samples = 0;
  long long metrics = 0;
};

// The runs stored in `path`, oldest first. nullopt when the file does not exist, has no
// runs table yet, or could not be read within `busy_ms` (a frozen writer may hold a lock
// a reader needs, e.g. during WAL recovery).
// `why`, when given, receives SQLite's message for a database that could not be read.
inline std::optional<std::vector<ProbedRun>> probe_runs(const std::string& path, int busy_ms = 200,
                                                        std::string* why = nullptr) {
  if (::access(path.c_str(), F_OK) != 0) return std::nullopt;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    if (why) *why = db ? sqlite3_errmsg(db) : "cannot open";
    sqlite3_close_v2(db);
    return std::nullopt;
  }
  sqlite3_busy_timeout(db, busy_ms);
  const char* sql =
      "SELECT r.run_id, r.task, r.status,"
      " (SELECT count(*) FROM samples s WHERE s.run_id = r.run_id),"
      " (SELECT count(*) FROM metrics m WHERE m.run_id = r.run_id)"
      " FROM runs r ORDER BY r.rowid";
  sqlite3_stmt* statement = nullptr;
  std::optional<std::vector<ProbedRun>> runs;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK) {
    runs.emplace();
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      ProbedRun run;
      run.run_id = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
      run.task = reinterpret_cast<const char*>(sqlite3_column_text(statement, 1));
      run.status = reinterpret_cast<const char*>(sqlite3_column_text(statement, 2));
      run.samples = sqlite3_column_int64(statement, 3);
      run.metrics = sqlite3_column_int64(statement, 4);
      runs->push_back(std::move(run));
    }
    if (rc != SQLITE_DONE) runs.reset();
  }
  if (!runs && why) *why = sqlite3_errmsg(db);
  sqlite3_finalize(statement);
  sqlite3_close_v2(db);
  return runs;
}

// True if process `pid` holds the WAL write lock of the database at `path`: it is inside a
// write transaction (BEGIN IMMEDIATE ... COMMIT, or a one-statement write). SQLite's unix
// VFS takes that lock as a POSIX lock on byte 120 of PATH-shm (the first of its lock bytes,
// WAL_WRITE_LOCK = 0). It is read from /proc/locks rather than with fcntl(F_GETLK): closing
// the descriptor F_GETLK needs would drop every POSIX lock this process holds on the file,
// those of a reader of the same database in this process included.
inline bool holds_wal_write_lock(const std::string& path, pid_t pid) {
  struct stat shm {};
  if (::stat((path + "-shm").c_str(), &shm) != 0) return false;
  std::ifstream locks("/proc/locks");
  std::string line;
  while (std::getline(locks, line)) {
    // "1: POSIX  ADVISORY  WRITE 12345 fe:00:11296772 120 120"; a waiter has "->" after "1:".
    std::istringstream fields(line);
    std::string number, kind, mode, type, device_inode, start, end;
    long long owner = 0;
    if (!(fields >> number >> kind >> mode >> type >> owner >> device_inode >> start >> end)) continue;
    if (kind != "POSIX" || type != "WRITE" || owner != pid || start != "120" || end != "120") continue;
    if (device_inode.substr(device_inode.rfind(':') + 1) == std::to_string(shm.st_ino)) return true;
  }
  return false;
}

}  // namespace perseval::test
