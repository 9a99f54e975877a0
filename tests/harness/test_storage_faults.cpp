// Storage faults of `perseval run`: a full disk, a read-only database (file, directory or a
// leftover -wal/-shm) and a database locked by another process. Each must end in one clear
// line on stderr naming the database and what failed, never lose what was stored, and
// leave a database that a later run (once the fault is gone) completes.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include <sqlite3.h>

#include "harness/store/store.h"
#include "tests/harness/db_probe.h"
#include "tests/harness/db_snapshot.h"
#include "tests/harness/subprocess_support.h"
#include "tests/harness/synthetic_lamp.h"
#include "tests/support/openai_test_server.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using namespace perseval::test;

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The uid/gid tests hand to children that file permissions must apply to: root ignores
// them, so a root test process runs its children as nobody.
constexpr int kNobody = 65534;

ChildOptions permissions_apply() {
  ChildOptions options;
  if (::geteuid() == 0) options.uid = options.gid = kNobody;
  return options;
}

// Makes `path` belong to the user permissions_apply() runs children as (a no-op unless root).
void give_to_child_user(const std::string& path) {
  if (::geteuid() == 0) REQUIRE(::chown(path.c_str(), kNobody, kNobody) == 0);
}

void set_mode(const std::string& path, mode_t mode) { REQUIRE(::chmod(path.c_str(), mode) == 0); }

bool exists(const std::string& path) { return std::filesystem::exists(path); }

// stderr is exactly one line from perseval's top level.
bool one_failure_line(const std::string& err) {
  return err.rfind("perseval: failed: ", 0) == 0 && std::count(err.begin(), err.end(), '\n') == 1;
}

// A finished run of bundled LaMP-3 in `db`, as the test's own user.
void store_prior_results(const TempDir& dir, const std::string& db) {
  const auto r = run_perseval({"run", "--model", "baseline:kind=majority", "--tasks", "lamp-3", "--db", db,
                               "--no-progress"},
                              dir.path().string());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

std::vector<std::string> bundled_run(const std::string& task, const std::string& db) {
  return {"run", "--model", "baseline:kind=majority", "--tasks", task, "--db", db, "--no-progress"};
}

// Holds SQLite's write lock on a database from this process, as another writer would.
class WriteLock {
 public:
  explicit WriteLock(const std::string& path) {
    REQUIRE(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(db_, 20000);  // a running perseval commits often; wait for a gap
    REQUIRE(sqlite3_exec(db_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  ~WriteLock() { sqlite3_close_v2(db_); }  // closing rolls back if still held
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;
  void release() { REQUIRE(sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK); }

 private:
  sqlite3* db_ = nullptr;
};

// The one finished-or-not run of `db` and its stored rows.
std::pair<RunRecord, std::map<std::string, std::string>> only_run(const std::string& db) {
  auto store = Store::open(db);
  const auto runs = store->list_runs();
  REQUIRE(runs.size() == 1);
  return {runs[0], sample_rows(*store, runs[0].run_id)};
}

// Every row of `part` is the same row in `whole`.
bool is_part_of(const std::map<std::string, std::string>& part, const std::map<std::string, std::string>& whole) {
  for (const auto& [id, row] : part) {
    const auto it = whole.find(id);
    if (it == whole.end() || it->second != row) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("storage: a full disk mid-run exits 1 with one line naming the database, stops, keeps its rows, resumes",
          "[storage][cli]") {
  constexpr int kSamples = 3000;
  TempDir dir;
  OpenAITestServer server;
  server.set_latency(2, 2);
  server.set_responder([](const std::string&, const json& body) {
    return "topic " + std::to_string(body.dump().size() % 13) + " is great today";
  });
  const std::string task = write_synthetic_lamp7(dir, "l7", kSamples, 8);
  auto args = [&](const std::string& db) {
    return std::vector<std::string>{"run", "--model",
                                    "openai:model=disk-test,base_url=" + server.base_url() + ",concurrency=8",
                                    "--tasks", task, "--db", db, "--threads", "2", "--no-progress"};
  };
  const std::string reference_db = dir.file("reference.db");
  REQUIRE(run_perseval(args(reference_db), dir.path().string()).exit_code == 0);
  const auto [reference_run, reference_rows] = only_run(reference_db);
  REQUIRE(reference_rows.size() == kSamples);

  // The request cache lives in the same file (the default), so its writes fail too.
  const std::string db = dir.file("full.db");
  server.reset_counters();
  ChildOptions full_disk;
  full_disk.max_file_bytes = 512 * 1024;
  Child child(args(db), dir.file("out.txt"), dir.file("err.txt"), full_disk);
  const auto r = child.wait_for(std::chrono::seconds(60));
  INFO(r.err);
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK(one_failure_line(r.err));
  CHECK(r.err.find(db + ": ") != std::string::npos);
  CHECK(r.err.find("disk full") != std::string::npos);
  // It stopped soon after the first failed write instead of running every sample.
  CHECK(server.requests("/v1/chat/completions") < kSamples / 2);

  // What was committed before the failure is there and correct.
  const auto [partial_run, partial_rows] = only_run(db);
  CHECK(partial_run.status != "finished");
  CHECK(partial_rows.size() > 0);
  CHECK(partial_rows.size() < static_cast<size_t>(kSamples));
  CHECK(is_part_of(partial_rows, reference_rows));

  // With space back, the same command resumes the run and completes it.
  const auto again = run_perseval(args(db), dir.path().string());
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  const auto [final_run, final_rows] = only_run(db);
  CHECK(final_run.run_id == partial_run.run_id);
  CHECK(final_run.status == "finished");
  CHECK(final_rows == reference_rows);
  auto final_store = Store::open(db);
  auto reference_store = Store::open(reference_db);
  CHECK(metric_bits(*final_store, final_run.run_id) == metric_bits(*reference_store, reference_run.run_id));
}

TEST_CASE("storage: a read-only database file fails at once naming it, leaves no files, keeps its results",
          "[storage][cli]") {
  TempDir dir;
  const std::string folder = dir.file("shared");
  std::filesystem::create_directories(folder);
  set_mode(folder, 0777);  // only the file's own mode is in the way
  const std::string db = folder + "/results.db";
  store_prior_results(dir, db);
  const std::string before = database_snapshot(db);
  set_mode(db, 0444);

  const auto r = run_perseval(bundled_run("lamp-4", db), dir.path().string(), permissions_apply());
  if (r.exit_code == kChildSetupFailed) {
    WARN("skipped: cannot run a child as an unprivileged user here (" << r.err << ")");
    return;
  }
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(one_failure_line(r.err));
  CHECK(r.err.find(db + ": the database file is read-only") != std::string::npos);
  // SQLite was never asked to open it, so no read-only -wal/-shm was left to trip later runs.
  CHECK_FALSE(exists(db + "-wal"));
  CHECK_FALSE(exists(db + "-shm"));

  // Writable again (for the child's user too): nothing was lost, and the same command runs.
  set_mode(db, 0666);
  CHECK(database_snapshot(db) == before);
  const auto again = run_perseval(bundled_run("lamp-4", db), dir.path().string(), permissions_apply());
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(Store::open(db)->list_runs().size() == 2);
}

TEST_CASE("storage: a read-only -wal left by a reader is named in the error, and fixing it lets the run go",
          "[storage][cli]") {
  TempDir dir;
  const std::string folder = dir.file("shared");
  std::filesystem::create_directories(folder);
  set_mode(folder, 0777);
  const std::string db = folder + "/results.db";
  store_prior_results(dir, db);
  const std::string before = database_snapshot(db);
  // A reader without write permission opens it: SQLite leaves -wal and -shm with the
  // database file's read-only mode.
  set_mode(db, 0444);
  const auto list = run_perseval({"list", "runs", "--db", db}, dir.path().string(), permissions_apply());
  if (list.exit_code == kChildSetupFailed) {
    WARN("skipped: cannot run a child as an unprivileged user here (" << list.err << ")");
    return;
  }
  REQUIRE(list.exit_code == 0);
  REQUIRE(exists(db + "-wal"));
  set_mode(db, 0666);  // the owner fixes the database file only

  const auto r = run_perseval(bundled_run("lamp-4", db), dir.path().string(), permissions_apply());
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(one_failure_line(r.err));
  CHECK(r.err.find(db + ": " + db + "-wal is read-only") != std::string::npos);

  // Following the message's advice makes the run go through.
  set_mode(db + "-wal", 0666);
  set_mode(db + "-shm", 0666);
  CHECK(database_snapshot(db) == before);
  const auto again = run_perseval(bundled_run("lamp-4", db), dir.path().string(), permissions_apply());
  INFO(again.err);
  CHECK(again.exit_code == 0);
}

TEST_CASE("storage: a database in a read-only directory fails at once naming the directory, results intact",
          "[storage][cli]") {
  TempDir dir;
  const std::string folder = dir.file("archive");
  std::filesystem::create_directories(folder);
  const std::string db = folder + "/results.db";
  store_prior_results(dir, db);
  const std::string before = database_snapshot(db);
  give_to_child_user(db);  // the file itself is writable for the child
  set_mode(db, 0666);
  set_mode(folder, 0555);

  const auto r = run_perseval(bundled_run("lamp-4", db), dir.path().string(), permissions_apply());
  if (r.exit_code == kChildSetupFailed) {
    WARN("skipped: cannot run a child as an unprivileged user here (" << r.err << ")");
    return;
  }
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(one_failure_line(r.err));
  CHECK(r.err.find(db + ": the directory " + folder + " is not writable") != std::string::npos);
  set_mode(folder, 0777);
  CHECK(database_snapshot(db) == before);
  const auto again = run_perseval(bundled_run("lamp-4", db), dir.path().string(), permissions_apply());
  INFO(again.err);
  CHECK(again.exit_code == 0);
}

TEST_CASE("storage: a run waits for another writer's lock and completes once it is released", "[storage][cli]") {
  TempDir dir;
  const std::string db = dir.file("shared.db");
  store_prior_results(dir, db);
  WriteLock lock(db);
  Child child(bundled_run("lamp-4", db), dir.file("out.txt"), dir.file("err.txt"));
  std::this_thread::sleep_for(milliseconds(1500));
  // Blocked on the lock: still running, and its run not created yet.
  CHECK_FALSE(child.has_exited());
  const auto runs = probe_runs(db);
  REQUIRE(runs);
  CHECK(runs->size() == 1);
  lock.release();
  const auto r = child.wait_for(std::chrono::seconds(30));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const auto stored = Store::open(db)->list_runs();
  REQUIRE(stored.size() == 2);
  CHECK(stored[1].status == "finished");
}

TEST_CASE("storage: a lock held past the busy timeout gives one line saying the database is locked, results intact",
          "[storage][cli]") {
  TempDir dir;
  const std::string db = dir.file("shared.db");
  store_prior_results(dir, db);
  const std::string before = database_snapshot(db);
  std::optional<WriteLock> lock(std::in_place, db);
  const auto start = Clock::now();
  Child child(bundled_run("lamp-4", db), dir.file("out.txt"), dir.file("err.txt"));
  const auto r = child.wait_for(std::chrono::seconds(30));
  const auto waited = Clock::now() - start;
  lock.reset();
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(one_failure_line(r.err));
  CHECK(r.err.find(db + ": database is locked") != std::string::npos);
  CHECK(r.err.find("another process holds its lock (waited 5000 ms") != std::string::npos);
  CHECK(waited >= milliseconds(4500));  // it waited for the busy timeout first
  CHECK(database_snapshot(db) == before);
}

TEST_CASE("storage: a lock taken mid-run and held ends an openai run with one clear line, no hang, then it resumes",
          "[storage][cli]") {
  constexpr int kSamples = 3000;
  TempDir dir;
  OpenAITestServer server;
  server.set_latency(3, 3);
  const std::string task = write_synthetic_lamp7(dir, "l7", kSamples, 8);
  auto args = [&](const std::string& db) {
    return std::vector<std::string>{"run", "--model",
                                    "openai:model=lock-test,base_url=" + server.base_url() + ",concurrency=8",
                                    "--tasks", task, "--db", db, "--threads", "2", "--no-progress"};
  };
  const std::string reference_db = dir.file("reference.db");
  REQUIRE(run_perseval(args(reference_db), dir.path().string()).exit_code == 0);
  const auto reference_rows = only_run(reference_db).second;

  // The request cache shares the file (the default): its batch writes meet the lock on the
  // HTTP thread, where an exception used to swallow answers and leave the run waiting forever.
  const std::string db = dir.file("locked.db");
  Child child(args(db), dir.file("out.txt"), dir.file("err.txt"));
  for (;;) {  // until the first rows are stored
    const auto runs = probe_runs(db);
    if ((runs && !runs->empty() && runs->back().samples > 0) || child.has_exited()) break;
    std::this_thread::sleep_for(milliseconds(2));
  }
  REQUIRE_FALSE(child.has_exited());
  std::optional<WriteLock> lock(std::in_place, db);
  const auto r = child.wait_for(std::chrono::seconds(60));
  lock.reset();
  INFO(r.err);
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK(one_failure_line(r.err));
  CHECK(r.err.find(db + ": database is locked") != std::string::npos);

  const auto [partial_run, partial_rows] = only_run(db);
  CHECK(partial_run.status != "finished");
  CHECK(partial_rows.size() > 0);
  CHECK(partial_rows.size() < static_cast<size_t>(kSamples));
  CHECK(is_part_of(partial_rows, reference_rows));
  const auto again = run_perseval(args(db), dir.path().string());
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  const auto [final_run, final_rows] = only_run(db);
  CHECK(final_run.run_id == partial_run.run_id);
  CHECK(final_run.status == "finished");
  CHECK(final_rows == reference_rows);
}
