// The leaderboard from a real store (latest finished run per task x model, ranks within a
// task) and its text, Markdown, CSV and JSON forms.
#include <catch2/catch.hpp>

#include <sstream>

#include "reports/leaderboard.h"
#include "tests/harness/test_store_support.h"

using namespace perseval;
using perseval::test::TempDir;

namespace {

// A finished run of `task` x `model` whose primary metric "accuracy" is `value`.
void add_run(Store& store, const std::string& id, const std::string& task, const std::string& model, double value,
             const std::string& started_at) {
  RunRecord run = perseval::test::make_run(id, "cfg-" + id, started_at);
  run.task = task;
  run.model = model;
  run.status = "finished";
  run.notes = {{"primary_metric", "accuracy"}, {"higher_is_better", true}};
  store.create_run(run);
  store.update_run(run);
  StoredMetric m{"", "", MetricValue{"accuracy", value, 40, value - 0.1, value + 0.1}};
  store.replace_metrics(id, std::span(&m, 1));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("leaderboard: latest run per pair, ranks, and every output format", "[leaderboard]") {
  TempDir dir;
  auto store = Store::open(dir.file("lb.db"));
  add_run(*store, "old", "lamp-2", "model-a", 0.9, "2026-11-01T00:00:00Z");  // superseded
  add_run(*store, "a2", "lamp-2", "model-a", 0.5, "2026-11-02T00:00:00Z");
  add_run(*store, "b2", "lamp-2", "=cmd|' /C calc'!A0", 0.75, "2026-11-02T00:00:00Z");
  const auto board = build_leaderboard(*store);
  REQUIRE(board.size() == 2);
  const auto& a = board[0].model == "model-a" ? board[0] : board[1];
  const auto& b = board[0].model == "model-a" ? board[1] : board[0];
  CHECK(a.run_id == "a2");
  CHECK(a.value.value == 0.5);
  CHECK(a.rank == 2);
  CHECK(b.rank == 1);

  const auto md = lines_of(format_leaderboard_markdown(board));
  REQUIRE(md.size() == 3);
  CHECK(md[0] == "| task | metric | =cmd\\|' /C calc'!A0 | model-a |");
  CHECK(md[1] == "| --- | --- | ---: | ---: |");
  CHECK(md[2] == "| lamp-2 | accuracy ↑ | 0.750 [0.650,0.850] #1 | 0.500 [0.400,0.600] #2 |");

  const std::string csv = format_leaderboard_csv(board);
  const auto rows = lines_of(csv);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == "task,model,run_id,metric,higher_is_better,value,n,ci_low,ci_high,rank,errors\r");
  CHECK(csv.find("lamp-2,'=cmd|' /C calc'!A0,b2,accuracy,true,0.75,40,0.65000000000000002,0.84999999999999998,1,0\r\n") !=
        std::string::npos);
  CHECK(csv.find("lamp-2,model-a,a2,accuracy,true,0.5,40,0.40000000000000002,0.59999999999999998,2,0\r\n") !=
        std::string::npos);

  const json j = json::parse(format_leaderboard_json(board));
  CHECK(j.size() == 2);
  CHECK(format_leaderboard_text(board).find("0.500 [0.400,0.600] #2") != std::string::npos);
  CHECK(format_leaderboard_markdown({}) == "(no finished runs)\n");
}
