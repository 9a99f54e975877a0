// End-to-end tests of the `perseval` binary: real processes, real SQLite files.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "harness/store/store.h"
#include "tests/harness/subprocess_support.h"
#include "tests/harness/test_store_support.h"

using namespace perseval;
using perseval::test::run_perseval;
using perseval::test::TempDir;

namespace {

// Writes a synthetic LaMP-7 (tweet paraphrasing) split with `n` questions.
std::pair<std::string, std::string> write_lamp7(const TempDir& dir, int n) {
  json questions = json::array();
  json golds = json::array();
  for (int i = 0; i < n; ++i) {
    json profile = json::array();
    for (int j = 0; j < 6; ++j)
      profile.push_back({{"id", "synthetic-p" + std::to_string(i) + "-" + std::to_string(j)},
                         {"text", "tweet number " + std::to_string(j) + " about topic " + std::to_string((i + j) % 13)},
                         {"date", "2020-01-0" + std::to_string(1 + j)}});
    const std::string id = "synthetic-" + std::to_string(i);
    questions.push_back({{"id", id},
                         {"input", "Paraphrase the following tweet without any explanation before or after it: "
                                   "today topic " + std::to_string(i % 13) + " is great"},
                         {"profile", profile}});
    golds.push_back({{"id", id}, {"output", "topic " + std::to_string(i % 13) + " is great today"}});
  }
  const std::string q = dir.file("dev_questions.json"), o = dir.file("dev_outputs.json");
  std::ofstream(q) << questions.dump();
  std::ofstream(o) << json{{"task", "LaMP_7"}, {"golds", golds}}.dump();
  return {q, o};
}

std::map<std::string, std::string> outputs_by_id(Store& store, const std::string& run_id) {
  std::map<std::string, std::string> out;
  for (const auto& row : store.read_samples(run_id)) out[row.sample_id] = row.output + "|" + row.scores.dump();
  return out;
}

}  // namespace

TEST_CASE("cli: demo prints a leaderboard with every bundled task and the baselines", "[cli]") {
  TempDir dir;
  auto r = run_perseval({"demo", "--db", dir.file("demo.db"), "--no-progress"}, dir.path().string());
  REQUIRE(r.exit_code == 0);
  const std::vector<std::string> tasks{"lamp-1", "lamp-2", "lamp-2-news", "lamp-3", "lamp-4", "lamp-5",
                                       "lamp-6", "lamp-7", "personamem", "personabench", "personafeedback"};
  for (const auto& task : tasks) CHECK(r.out.find("\n" + task + " ") != std::string::npos);
  const std::vector<std::string> models{"baseline:kind=random", "baseline:kind=majority",
                                        "baseline:kind=nearest"};
  for (const auto& model : models) CHECK(r.out.find(model) != std::string::npos);
  auto store = Store::open(dir.file("demo.db"));
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& run : store->list_runs()) {
    CHECK(run.status == "finished");
    pairs.insert({run.task.substr(0, run.task.find(':')), run.model});
  }
  for (const auto& task : tasks)
    for (const auto& model : models) CHECK(pairs.count({task, model}) == 1);
  // It ends by writing the HTML report next to the database, with the whole leaderboard.
  std::ifstream in(dir.file("report.html"));
  REQUIRE(in.good());
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(html.find("<section id=\"leaderboard\">") != std::string::npos);
  for (const auto& model : models) CHECK(html.find(model) != std::string::npos);
  for (const auto& task : tasks) CHECK(html.find(">" + task + "<") != std::string::npos);
  CHECK(r.out.find("HTML report: " + dir.file("report.html")) != std::string::npos);
}

TEST_CASE("cli: two runs with the same seed store identical per-sample results", "[cli]") {
  TempDir dir;
  const std::string db = dir.file("same.db");
  for (int i = 0; i < 2; ++i) {
    auto r = run_perseval({"run", "--model", "baseline:kind=random", "--tasks", "lamp-2,lamp-3,lamp-4",
                           "--db", db, "--seed", "99", "--threads", i == 0 ? "1" : "2", "--json"},
                          dir.path().string());
    REQUIRE(r.exit_code == 0);
    auto parsed = json::parse(r.out);
    CHECK(parsed["runs"].size() == 3);
  }
  auto store = Store::open(db);
  auto runs = store->list_runs();
  REQUIRE(runs.size() == 6);
  for (int i = 0; i < 3; ++i) {
    CHECK(runs[i].task == runs[i + 3].task);
    CHECK(outputs_by_id(*store, runs[i].run_id) == outputs_by_id(*store, runs[i + 3].run_id));
  }
}

TEST_CASE("cli: malformed input exits 2 with one line naming file and record, db intact", "[cli]") {
  TempDir dir;
  const std::string db = dir.file("keep.db");
  REQUIRE(run_perseval({"run", "--model", "baseline:kind=majority", "--tasks", "lamp-3", "--db", db},
                       dir.path().string()).exit_code == 0);
  auto [q, o] = write_lamp7(dir, 5);
  json broken = json::parse(perseval::test::Child::slurp(q));
  broken[3].erase("input");
  std::ofstream(q) << broken.dump();
  auto r = run_perseval({"run", "--model", "baseline:kind=majority", "--tasks",
                         "lamp-7:questions=" + q + ",outputs=" + o, "--db", db},
                        dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(q) != std::string::npos);
  CHECK(r.err.find("record 3") != std::string::npos);
  CHECK(r.err.find("input") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  auto store = Store::open(db);
  const auto runs = store->list_runs();
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].status == "finished");
  CHECK(!store->read_metrics(runs[0].run_id).empty());
}

TEST_CASE("cli: a run killed with SIGKILL and started again has every sample exactly once", "[cli]") {
  TempDir dir;
  auto [q, o] = write_lamp7(dir, 1500);
  const std::string task = "lamp-7:k=2,questions=" + q + ",outputs=" + o;
  const std::vector<std::string> common{"run", "--model", "baseline:kind=nearest,latency_ms=10",
                                        "--tasks", task, "--max-in-flight", "4", "--no-progress"};
  auto with_db = [&](const std::string& db) {
    auto args = common;
    args.insert(args.end(), {"--db", db});
    return args;
  };
  // The reference: one uninterrupted run.
  REQUIRE(run_perseval(with_db(dir.file("ref.db")), dir.path().string()).exit_code == 0);
  auto ref_store = Store::open(dir.file("ref.db"));
  const auto reference = outputs_by_id(*ref_store, ref_store->list_runs().at(0).run_id);
  REQUIRE(reference.size() == 1500);

  const std::string db = dir.file("killed.db");
  for (int kill_round = 0; kill_round < 3; ++kill_round) {
    perseval::test::Child child(with_db(db), dir.file("o.txt"), dir.file("e.txt"));
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + 250 * kill_round));
    child.kill_hard();
    child.wait();
  }
  {
    // The kills really landed mid-run: some samples stored, not all.
    auto partial = Store::open(db);
    const auto runs = partial->list_runs();
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].status == "running");
    const auto stored = partial->read_samples(runs[0].run_id).size();
    CHECK(stored > 0);
    CHECK(stored < 1500);
  }
  auto r = run_perseval(with_db(db), dir.path().string());
  REQUIRE(r.exit_code == 0);
  auto store = Store::open(db);
  const auto runs = store->list_runs();
  REQUIRE(runs.size() == 1);  // every restart resumed the same run
  CHECK(runs[0].status == "finished");
  const auto rows = store->read_samples(runs[0].run_id);
  std::set<std::string> ids;
  for (const auto& row : rows) ids.insert(row.sample_id);
  CHECK(rows.size() == 1500);
  CHECK(ids.size() == 1500);
  CHECK(outputs_by_id(*store, runs[0].run_id) == reference);
}

TEST_CASE("cli: unknown task or flag exits 2", "[cli]") {
  TempDir dir;
  CHECK(run_perseval({"run", "--model", "baseline", "--tasks", "lamp-9", "--db", dir.file("x.db")},
                     dir.path().string()).exit_code == 2);
  CHECK(run_perseval({"run", "--bogus"}, dir.path().string()).exit_code == 2);
  CHECK(run_perseval({"list", "tasks"}, dir.path().string()).out.find("lamp-2-news") != std::string::npos);
}

TEST_CASE("cli: Ctrl-C stores what finished, exits 130, and the rerun completes", "[cli]") {
  TempDir dir;
  auto [q, o] = write_lamp7(dir, 800);
  const std::vector<std::string> args{"run", "--model", "baseline:kind=majority,latency_ms=10",
                                      "--tasks", "lamp-7:questions=" + q + ",outputs=" + o,
                                      "--max-in-flight", "4", "--db", dir.file("int.db")};
  perseval::test::Child child(args, dir.file("o.txt"), dir.file("e.txt"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  child.interrupt();
  const auto r = child.wait();
  CHECK(r.exit_code == 130);
  {
    auto store = Store::open(dir.file("int.db"));
    const auto runs = store->list_runs();
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].status == "interrupted");
    const auto stored = store->read_samples(runs[0].run_id).size();
    CHECK(stored > 0);
    CHECK(stored < 800);
  }
  const auto again = run_perseval(args, dir.path().string());
  CHECK(again.exit_code == 0);
  auto store = Store::open(dir.file("int.db"));
  REQUIRE(store->list_runs().size() == 1);
  CHECK(store->list_runs()[0].status == "finished");
  CHECK(store->read_samples(store->list_runs()[0].run_id).size() == 800);
}

TEST_CASE("cli: score lamp-N prints the official keys, mismatched ids exit 2", "[cli]") {
  TempDir dir;
  const std::string golds = dir.file("golds.json"), preds = dir.file("preds.json");
  std::ofstream(golds) << R"({"task": "LaMP_3", "golds": [{"id": "a", "output": "4"},
      {"id": "b", "output": "3"}, {"id": "c", "output": "1"}]})";
  // "Rating: 4" is unparseable: gold 3 → the farthest extreme 5.0 (error 2).
  std::ofstream(preds) << R"({"task": "LaMP_3", "golds": [{"id": "a", "output": "4.5"},
      {"id": "b", "output": "Rating: 4"}, {"id": "c", "output": " 1 "}]})";
  auto r = run_perseval({"score", "lamp-3", "--golds", golds, "--preds", preds, "--json"},
                        dir.path().string());
  REQUIRE(r.exit_code == 0);
  const auto out = json::parse(r.out);
  CHECK(out["MAE"].get<double>() == Approx(2.5 / 3).epsilon(1e-12));
  CHECK(out["RMSE"].get<double>() == Approx(std::sqrt(4.25 / 3)).epsilon(1e-12));
  std::ofstream(preds) << R"({"task": "LaMP_3", "golds": [{"id": "a", "output": "4"},
      {"id": "zz", "output": "3"}]})";
  r = run_perseval({"score", "lamp-3", "--golds", golds, "--preds", preds}, dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("missing") != std::string::npos);
  CHECK(r.err.find("zz") != std::string::npos);
  CHECK(r.err.find(preds) != std::string::npos);
}
