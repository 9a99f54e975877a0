// `perseval suite FILE.json`: the plan parser, and a nightly plan run twice against the local
// OpenAI-compatible test server (the second night makes no model calls: the cache answers).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "harness/cli/suite_plan.h"
#include "harness/core/errors.h"
#include "tests/harness/subprocess_support.h"
#include "tests/support/openai_test_server.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using perseval::test::TempDir;

TEST_CASE("suite plan: grids expand in order, paths are relative to the plan", "[suite]") {
  TempDir dir;
  const std::string file = dir.write("plans/nightly.json", R"({
    "db": "out/n.db", "report": "/abs/r.html", "seed": 7, "limit": 3, "judge_samples": 2,
    "models": ["baseline:kind=majority"],
    "tasks": ["lamp-1", {"task": "personabench:k=5", "grid": {"noise": ["0.0", "0.5"], "retriever": ["bm25", "oracle"]}}]
  })");
  const auto plan = cli::parse_suite_plan(file);
  CHECK(plan.name == "nightly");
  CHECK(plan.tasks == std::vector<std::string>{"lamp-1",
                                               "personabench:k=5,noise=0.0,retriever=bm25",
                                               "personabench:k=5,noise=0.0,retriever=oracle",
                                               "personabench:k=5,noise=0.5,retriever=bm25",
                                               "personabench:k=5,noise=0.5,retriever=oracle"});
  CHECK(plan.options.db_path == (dir.path() / "plans/out/n.db").string());
  CHECK(plan.report_path == "/abs/r.html");
  CHECK(plan.options.seed == 7);
  CHECK(plan.options.limit == 3);
  CHECK(plan.options.judge_samples == 2);
}

TEST_CASE("suite plan: mistakes name the file and the key", "[suite]") {
  TempDir dir;
  const auto error_of = [&](const std::string& text) {
    const std::string file = dir.write("p.json", text);
    try {
      cli::parse_suite_plan(file);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of(R"({"models": ["baseline:kind=random"], "tasks": ["lamp-1"], "limt": 3})").find("\"limt\": unknown key") !=
        std::string::npos);
  CHECK(error_of(R"({"tasks": ["lamp-1"]})").find("\"models\"") != std::string::npos);
  CHECK(error_of(R"({"models": ["baseline:kind=random"], "tasks": [{"task": "lamp-1", "grid": {"k": []}}]})")
            .find("non-empty list") != std::string::npos);
  CHECK(error_of(R"({"models": ["baseline:kind=random"], "tasks": ["lamp-1"], "seed": "x"})").find("\"seed\"") !=
        std::string::npos);
  CHECK(error_of("[1, 2").find("not valid JSON") != std::string::npos);
  CHECK(error_of(R"({"models": ["a"], "tasks": ["lamp-1"], "log_samples": true})").find("output_path") !=
        std::string::npos);
  CHECK_THROWS_AS(cli::parse_suite_plan(dir.file("missing.json")), InputError);
}

TEST_CASE("suite: a nightly plan twice, the second night answered by the cache, report written", "[suite][cli]") {
  TempDir dir;
  perseval::test::OpenAITestServer server;
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v1";
  const std::string file = dir.write("nightly.json", R"({
    "name": "nightly", "db": "n.db", "report": "n.html", "output_path": "exports",
    "models": ["openai:model=ckpt-1,base_url=)" + url + R"(,concurrency=4", "baseline:kind=majority"],
    "tasks": ["lamp-2", "personafeedback"], "limit": 6
  })");
  auto first = perseval::test::run_perseval({"suite", file, "--json", "--no-progress"}, dir.path().string());
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const json out = json::parse(first.out);
  CHECK(out["suite"] == "nightly");
  REQUIRE(out["runs"].size() == 4);
  for (const auto& r : out["runs"]) CHECK(r["status"] == "finished");
  const long long calls = server.requests("/v1/chat/completions");
  CHECK(calls == 12);  // 6 samples x 2 tasks for the HTTP model; the baseline makes none
  CHECK(std::filesystem::file_size(dir.file("n.html")) > 1000);
  CHECK(std::filesystem::exists(dir.file("exports/results.json")));

  auto second = perseval::test::run_perseval({"suite", file, "--json", "--no-progress"}, dir.path().string());
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(server.requests("/v1/chat/completions") == calls);  // nothing new asked
  const json again = json::parse(second.out);
  CHECK(again["runs"][0]["metrics"] == out["runs"][0]["metrics"]);
  CHECK(again["leaderboard"].size() == 4);
  // The second night's report shows each metric over the nights for each model.
  std::ifstream report(dir.file("n.html"));
  const std::string html((std::istreambuf_iterator<char>(report)), std::istreambuf_iterator<char>());
  CHECK(html.find("<section id=\"history\">") != std::string::npos);
  CHECK(html.find("days since the first run") != std::string::npos);

  auto sharded = perseval::test::run_perseval({"suite", file, "--shard", "0/2", "--json", "--no-progress"},
                                              dir.path().string());
  INFO(sharded.err);
  CHECK(sharded.exit_code == 0);
  CHECK(sharded.err.find("shard 0/2") != std::string::npos);
}
