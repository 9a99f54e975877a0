// Crash safety of `perseval run`: SIGKILL at many seeded random points of a two-task run
// against the local OpenAI-compatible server, a restart after each kill, and at the end a
// database equal to the one an uninterrupted run writes. Before each kill the child is
// frozen (SIGSTOP) and inspected, so the test knows in which phase the kill landed:
// model requests in flight, a SQLite write transaction of result rows, or the scoring
// (aggregation) phase after the last row of a task was stored.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "harness/core/hash.h"
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

// The first task is small: after it finished, every restart runs it again as a new run
// (answered by the request cache, see the end of the test), which should cost little.
constexpr int kLamp3Samples = 60;
constexpr int kLamp7Samples = 900;
constexpr int kTotalSamples = kLamp3Samples + kLamp7Samples;

// What a kill round waits for before it kills.
enum class Aim {
  anywhere,  // the progress target, then a random extra delay
  startup,   // a random moment in the first 40 ms of the process
  write,     // the child inside a write transaction of result rows
  scoring,   // the child past the last stored row of a task, its run not finished
};

const char* aim_name(Aim aim) {
  switch (aim) {
    case Aim::anywhere: return "anywhere";
    case Aim::startup: return "startup";
    case Aim::write: return "write";
    case Aim::scoring: return "scoring";
  }
  return "?";
}

struct KillPoint {
  long long target = 0;  // overall progress (stored samples) to reach first
  Aim aim = Aim::anywhere;
};

// Samples a task of this run has, by its canonical spec.
long long samples_of(const std::string& task) { return task.rfind("lamp-3:", 0) == 0 ? kLamp3Samples : kLamp7Samples; }

// Overall progress in stored samples: a task with a finished run counts in full (a restart
// after it finished starts it again as a new run, answered from the request cache).
long long progress_of(const std::vector<ProbedRun>& runs) {
  std::map<std::string, long long> done;  // task family -> best progress
  for (const auto& run : runs) {
    const std::string family = run.task.substr(0, run.task.find(':'));
    const long long p = run.status == "finished" ? samples_of(run.task) : run.samples;
    done[family] = std::max(done[family], p);
  }
  long long total = 0;
  for (const auto& [family, p] : done) total += p;
  return total;
}

// The deterministic model behind the test server: a rating for LaMP-3 prompts, a long
// paraphrase for LaMP-7 ones (long rows make longer commits), chosen by a hash of the prompt.
std::atomic<long long> g_lamp3_answers{0}, g_lamp7_answers{0};  // answers sent, by task

std::string answer(const std::string&, const json& body) {
  const std::string prompt = body["messages"].back()["content"].get<std::string>();
  const uint64_t h = fnv1a64(prompt);
  if (prompt.find("score of the following review") != std::string::npos) {
    ++g_lamp3_answers;
    return std::to_string(1 + h % 5);
  }
  ++g_lamp7_answers;
  std::string text = "topic " + std::to_string(h % 13) + " is " + (h % 2 ? "great today" : "fine");
  for (int i = 0; i < 700; ++i) text += " and word" + std::to_string((h >> (i % 48)) % 97);
  return text;
}

// What the frozen child was doing when it was killed.
struct Landing {
  Aim aim = Aim::anywhere;
  long long target = 0;
  double session_s = 0;       // from spawn to the kill
  long long progress = -1;    // -1: the database could not be read
  bool requests_in_flight = false;
  bool any_write_lock = false;
  bool result_write = false;  // in a write transaction of result rows (it stored rows this session)
  bool scoring = false;       // stored the last row of its task this session, run not finished
  bool between_tasks = false; // finished the first task this session, nothing of the second yet
  bool first_done = false;    // finished the first task this session
  bool all_done = false;      // the second task's run is finished
  std::string phase;          // the current run's state in words
  std::vector<ProbedRun> runs;  // the database as the kill leaves it
  // A read that had to be left waiting (see inspect); it ends once the child runs on or dies.
  std::shared_ptr<std::future<void>> pending_read;
};

std::string describe(const Landing& l) {
  std::ostringstream out;
  out << aim_name(l.aim) << "@" << l.target << " after " << static_cast<int>(l.session_s * 1000)
      << " ms: progress " << l.progress << ", " << l.phase << (l.requests_in_flight ? ", requests in flight" : "")
      << (l.any_write_lock ? ", write lock" : "") << (l.result_write ? " (result rows)" : "")
      << (l.scoring ? ", SCORING" : "")
      << (l.between_tasks ? ", BETWEEN TASKS" : "");
  return out.str();
}

bool is_family(const ProbedRun& run, const std::string& family) { return run.task.rfind(family + ":", 0) == 0; }

// The unfinished run of `family`, if any.
const ProbedRun* unfinished_run(const std::vector<ProbedRun>& runs, const std::string& family) {
  for (const auto& run : runs)
    if (is_family(run, family) && run.status != "finished") return &run;
  return nullptr;
}

// The run with this id in `runs`, if any.
const ProbedRun* find_run(const std::vector<ProbedRun>& runs, const std::string& run_id) {
  for (const auto& run : runs)
    if (run.run_id == run_id) return &run;
  return nullptr;
}

// Inspects a frozen child. `before` is the database at the start of its session (nullopt:
// unknown, then no phase is claimed that depends on it). The CLI runs lamp-3, then lamp-7;
// a restart skips a lamp-3 run that its invocation finished.
// `answers_before` are the (lamp-3, lamp-7) answers the server had sent when it started.
Landing inspect(const std::string& db, const Child& child, const OpenAITestServer& server,
                const std::optional<std::vector<ProbedRun>>& before, std::pair<long long, long long> answers_before) {
  Landing l;
  l.requests_in_flight = server.current_concurrency() > 0;
  l.any_write_lock = holds_wal_write_lock(db, child.pid());
  // The read runs in a helper thread: frozen in the middle of updating the WAL index, the
  // child makes any reader spin in SQLite's retry loop (about 10 s, then SQLITE_PROTOCOL).
  // Then the phase stays unknown and the read is left to finish once the child moves on.
  auto result = std::make_shared<std::pair<std::optional<std::vector<ProbedRun>>, std::string>>();
  auto read = std::make_shared<std::future<void>>(
      std::async(std::launch::async, [db, result] { result->first = probe_runs(db, 50, &result->second); }));
  if (read->wait_for(milliseconds(300)) != std::future_status::ready) {
    l.phase = "database unreadable (a reader would wait for the frozen child)";
    l.pending_read = read;
    return l;
  }
  const auto& runs = result->first;
  if (!runs) {
    l.phase = "database unreadable (" + result->second + ")";
    return l;
  }
  l.progress = progress_of(*runs);
  l.runs = *runs;
  if (!before) {
    l.phase = "state at session start unknown";
    return l;
  }
  // Did this session finish a lamp-3 run (one not finished when it started)?
  for (const auto& run : *runs) {
    const ProbedRun* old = find_run(*before, run.run_id);
    if (is_family(run, "lamp-3") && run.status == "finished" && (!old || old->status != "finished"))
      l.first_done = true;
  }
  const ProbedRun* current = unfinished_run(*runs, "lamp-3");
  bool lamp3_finished = false;
  for (const auto& run : *runs) lamp3_finished = lamp3_finished || (is_family(run, "lamp-3") && run.status == "finished");
  if (!current && !lamp3_finished) {
    l.phase = "starting (lamp-3 not begun)";
    return l;
  }
  if (!current) current = unfinished_run(*runs, "lamp-7");
  if (!current) {
    for (const auto& run : *runs) l.all_done = l.all_done || (is_family(run, "lamp-7") && run.status == "finished");
    l.phase = l.all_done ? "all finished" : "lamp-3 finished, lamp-7 not created";
    l.between_tasks = !l.all_done;
    return l;
  }
  const long long n = samples_of(current->task);
  const ProbedRun* old = find_run(*before, current->run_id);
  const long long samples_before = old ? old->samples : -1;  // -1: created this session
  l.phase = current->task.substr(0, current->task.find(':')) + " " + current->status + " " +
            std::to_string(current->samples) + "/" + std::to_string(n) + " rows, " +
            std::to_string(current->metrics) + " metrics";
  l.between_tasks = l.first_done && is_family(*current, "lamp-7") && current->samples == samples_before &&
                    !l.requests_in_flight;
  // This session stored rows of the run or got answers for its task, so it is past creating
  // or resuming the run: a write lock now is a batch of result rows (the request cache
  // lives in another file).
  const bool answered = is_family(*current, "lamp-3") ? g_lamp3_answers > answers_before.first
                                                      : g_lamp7_answers > answers_before.second;
  l.result_write = l.any_write_lock && current->samples < n &&
                   (current->samples > std::max(samples_before, 0LL) || answered);
  // This session stored the last row and has not finished the run: aggregating, storing the
  // metrics or marking the run finished.
  l.scoring = current->samples == n && samples_before < n;
  return l;
}

std::vector<KillPoint> kill_plan(std::mt19937_64& rng) {
  std::vector<KillPoint> plan;
  // Never too close to the end: a kill must not come after the run completed.
  std::uniform_real_distribution<double> anywhere(0.0, 0.85), middle(0.1, 0.8);
  for (int i = 0; i < 20; ++i) plan.push_back({static_cast<long long>(anywhere(rng) * kTotalSamples), Aim::anywhere});
  for (int i = 0; i < 4; ++i) plan.push_back({static_cast<long long>(middle(rng) * kTotalSamples), Aim::write});
  for (int i = 0; i < 2; ++i) plan.push_back({static_cast<long long>(anywhere(rng) * kTotalSamples), Aim::startup});
  plan.push_back({kLamp3Samples, Aim::scoring});
  plan.push_back({kTotalSamples, Aim::scoring});
  std::stable_sort(plan.begin(), plan.end(),
                   [](const KillPoint& a, const KillPoint& b) { return a.target < b.target; });
  return plan;
}

std::string family_of(const RunRecord& run) { return run.task.substr(0, run.task.find(':')); }

}  // namespace

TEST_CASE("crash: SIGKILL at 28 seeded points of a two-task run, restarts resume, the result equals an unbroken run",
          "[crash][cli]") {
  const auto test_start = Clock::now();
  uint64_t seed = std::random_device{}();
  if (const char* fixed = std::getenv("PERSEVAL_CRASH_SEED")) seed = std::strtoull(fixed, nullptr, 10);
  INFO("crash seed " << seed << " (rerun with PERSEVAL_CRASH_SEED=" << seed << ")");
  std::mt19937_64 rng(seed);

  TempDir dir;
  OpenAITestServer server;
  server.set_latency(6, 8);
  server.set_responder(answer);
  const std::string tasks = write_synthetic_lamp3(dir, "l3", kLamp3Samples, 16) + "," +
                            write_synthetic_lamp7(dir, "l7", kLamp7Samples, 16);
  auto args_for = [&](const std::string& name) {
    return std::vector<std::string>{"run", "--model",
                                    "openai:model=crash-test,base_url=" + server.base_url() +
                                        ",concurrency=4,backoff_ms=5,max_backoff_ms=40",
                                    "--tasks", tasks, "--threads", "2", "--no-progress",
                                    "--db", dir.file(name + ".db"), "--cache", dir.file(name + "-cache.db")};
  };

  // The reference: one uninterrupted run.
  const auto ref_start = Clock::now();
  const auto ref = run_perseval(args_for("reference"), dir.path().string());
  INFO("reference stderr: " << ref.err);
  REQUIRE(ref.exit_code == 0);
  const double ref_s = std::chrono::duration<double>(Clock::now() - ref_start).count();
  INFO("reference run " << ref_s << " s");

  const std::string db = dir.file("crashed.db");
  const auto args = args_for("crashed");
  std::vector<Landing> landings;
  // The database as the last kill left it (an empty one at first).
  std::optional<std::vector<ProbedRun>> state = std::vector<ProbedRun>{};
  bool completed = false;
  std::uniform_int_distribution<int> extra_ms(0, 80), early_ms(0, 150), startup_ms(0, 40), gap_us(20, 120);
  for (const KillPoint& point : kill_plan(rng)) {
    // Answers still owed to the previous (dead) child must not count as this one's.
    const auto drain_start = Clock::now();
    while (server.current_concurrency() > 0) std::this_thread::sleep_for(milliseconds(1));
    if (Clock::now() - drain_start > std::chrono::seconds(1))
      WARN("server drained after " << std::chrono::duration<double>(Clock::now() - drain_start).count() << " s");
    const std::pair<long long, long long> answers_at_spawn{g_lamp3_answers.load(), g_lamp7_answers.load()};
    Child child(args, dir.file("out.txt"), dir.file("err.txt"));
    const auto spawned = Clock::now();
    std::optional<Landing> landing;  // set while the child is frozen, just before the kill
    const long long start_progress = state ? progress_of(*state) : 0;
    if (point.aim == Aim::startup) {
      std::this_thread::sleep_for(milliseconds(startup_ms(rng)));
      if (child.freeze()) landing = inspect(db, child, server, state, answers_at_spawn);
    } else if (point.aim == Aim::anywhere && start_progress >= point.target) {
      // A target the run has passed already: a random moment early in the session
      // (start-up, the repeat of the finished first task, the first requests).
      std::this_thread::sleep_for(milliseconds(early_ms(rng)));
      if (child.freeze()) landing = inspect(db, child, server, state, answers_at_spawn);
    } else {
      // Run (unfrozen, polled) up to the target; the scoring hunt starts a little before it.
      const long long lead = point.aim == Aim::scoring ? 100 : 0;
      while (!child.has_exited()) {
        const auto runs = probe_runs(db);
        if (runs && progress_of(*runs) >= point.target - lead) break;
        std::this_thread::sleep_for(milliseconds(3));
      }
      if (point.aim == Aim::anywhere) {
        // A random moment after the target, unless that could be past the end of the run.
        if (point.target + 100 < kTotalSamples) std::this_thread::sleep_for(milliseconds(extra_ms(rng)));
        if (child.freeze()) landing = inspect(db, child, server, state, answers_at_spawn);
      } else {
        // Freeze and look: kill there if it is the phase hunted, else let it run a little.
        // The write hunt tests the lock first (cheap) and reads the database when it is held
        // or every 10 ms (to see where the run is). A hunt gives up, killing where it is,
        // once its phase is over: the run is never allowed to end.
        const long long base = std::max(point.target, start_progress);
        auto last_look = Clock::now();
        while (child.freeze()) {
          const bool look = point.aim != Aim::write || holds_wal_write_lock(db, child.pid()) ||
                            Clock::now() - last_look > milliseconds(10);
          auto pause = std::chrono::microseconds(gap_us(rng));
          if (look) {
            last_look = Clock::now();
            landing = inspect(db, child, server, state, answers_at_spawn);
            const bool hit = point.aim == Aim::write ? landing->result_write : landing->scoring;
            const bool over = point.aim == Aim::write
                                  ? landing->progress > base + 150 || landing->progress >= kTotalSamples - 40
                                  : landing->all_done || landing->progress > point.target ||
                                        (point.target == kLamp3Samples && landing->first_done);
            if (hit || over || Clock::now() - spawned > std::chrono::seconds(10)) break;
            // Let it run at least twice as long as it stood frozen for the look, or a child
            // held mid-transaction would hardly move on.
            const auto looked = Clock::now() - last_look;
            pause = std::max(pause, std::chrono::duration_cast<std::chrono::microseconds>(2 * looked));
            child.thaw();  // first: a read left waiting ends only once the child runs
            landing.reset();
          } else {
            child.thaw();
          }
          std::this_thread::sleep_for(pause);
        }
      }
    }
    if (!landing) {  // it finished before the kill: the whole run is complete
      const auto r = child.wait();
      INFO("stderr: " << r.err);
      WARN("the run completed at kill point " << landings.size() << " (" << aim_name(point.aim) << "@"
                                              << point.target << ") after "
                                              << std::chrono::duration<double>(Clock::now() - spawned).count() << " s");
      REQUIRE(r.exit_code == 0);
      completed = true;
      break;
    }
    landing->aim = point.aim;
    landing->target = point.target;
    landing->session_s = std::chrono::duration<double>(Clock::now() - spawned).count();
    child.kill_hard();
    child.wait();
    landings.push_back(*landing);
    // The frozen child's view is what the kill left (nothing runs between the two).
    state.reset();
    if (landing->progress >= 0) state = landing->runs;
  }
  if (!completed) {
    const auto r = run_perseval(args, dir.path().string());
    INFO("final stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
  }

  std::string log;
  int in_flight = 0, result_writes = 0, scoring = 0, between = 0;
  for (const auto& l : landings) {
    log += describe(l) + "\n";
    in_flight += l.requests_in_flight;
    result_writes += l.result_write;
    scoring += l.scoring;
    between += l.between_tasks;
  }
  const double total_s = std::chrono::duration<double>(Clock::now() - test_start).count();
  INFO("kills:\n" << log << "test time " << total_s << " s");
  CHECK(landings.size() >= 20);
  CHECK(in_flight >= 1);
  CHECK(result_writes >= 1);
  CHECK(scoring >= 1);
  WARN("crash test: " << landings.size() << " kills (" << in_flight << " with requests in flight, " << result_writes
                      << " in a result write, " << scoring << " while scoring, " << between
                      << " between tasks) in " << total_s << " s, seed " << seed);

  // The database equals the uninterrupted one: every run finished, each with exactly the
  // reference rows and bit-identical metrics.
  auto reference = Store::open(dir.file("reference.db"));
  auto crashed = Store::open(db);
  std::map<std::string, std::string> reference_run;  // task family -> run id
  for (const auto& run : reference->list_runs()) reference_run[family_of(run)] = run.run_id;
  REQUIRE(reference_run.size() == 2);
  CHECK(reference->read_samples(reference_run["lamp-3"]).size() == kLamp3Samples);
  CHECK(reference->read_samples(reference_run["lamp-7"]).size() == kLamp7Samples);
  std::map<std::string, int> runs_per_task;
  for (const auto& run : crashed->list_runs()) {
    INFO("run " << run.run_id << " " << run.task);
    const std::string family = family_of(run);
    REQUIRE(reference_run.count(family) == 1);
    ++runs_per_task[family];
    CHECK(run.status == "finished");
    CHECK(run.n_total == samples_of(run.task));
    CHECK(crashed->read_samples(run.run_id).size() == static_cast<size_t>(samples_of(run.task)));
    CHECK(sample_rows(*crashed, run.run_id) == sample_rows(*reference, reference_run[family]));
    const auto metrics = metric_bits(*crashed, run.run_id);
    CHECK(metrics.size() > 4);  // whole run and per-user slices
    CHECK(metrics == metric_bits(*reference, reference_run[family]));
  }
  // Exactly the runs of the uninterrupted command: every kill inside a task was resumed by
  // the same run, and a restart after lamp-3 had finished skipped it (the invocation
  // records which of its runs finished).
  CHECK(runs_per_task["lamp-7"] == 1);
  CHECK(runs_per_task["lamp-3"] == 1);
}
