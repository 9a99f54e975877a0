// A restarted command resumes its invocation: the invocation record decides which runs a
// restart skips (resume_or_start_invocation), and the key what counts as "the same command".
#include <catch2/catch.hpp>

#include <functional>

#include "harness/cli/invocation.h"
#include "tests/harness/test_store_support.h"

using namespace perseval;
using namespace perseval::cli;
using perseval::test::make_run;
using perseval::test::TempDir;

namespace {

void store_run(Store& store, const std::string& run_id, const json& invocation, const std::string& status,
               const std::string& started_at) {
  RunRecord run = make_run(run_id, "cfg-" + run_id, started_at);
  run.notes["invocation"] = invocation;
  run.status = status;
  store.create_run(run);
}

}  // namespace

TEST_CASE("invocation: a restart resumes the latest unfinished invocation, a finished one starts anew",
          "[cli][runner]") {
  TempDir dir;
  auto store = Store::open(dir.file("inv.db"));
  // Nothing stored: a new invocation for 2 runs.
  const json first = resume_or_start_invocation(*store, "key-a", 2);
  CHECK(first["key"] == "key-a");
  CHECK(first["runs"] == 2);
  REQUIRE(first["id"].is_string());

  // One of its two runs finished, the other was killed: the same invocation comes back.
  store_run(*store, "r1", first, "finished", "2026-01-01T00:00:00Z");
  store_run(*store, "r2", first, "running", "2026-01-01T00:01:00Z");
  CHECK(resume_or_start_invocation(*store, "key-a", 2) == first);
  // Another command's key is unaffected.
  CHECK(resume_or_start_invocation(*store, "key-b", 2)["id"] != first["id"]);

  // Both finished: running the command again is a new invocation.
  RunRecord r2 = *store->get_run("r2");
  r2.status = "finished";
  store->update_run(r2);
  const json second = resume_or_start_invocation(*store, "key-a", 2);
  CHECK(second["id"] != first["id"]);

  // The latest invocation decides: an older unfinished one is not resumed once a newer one
  // of the same key exists.
  store_run(*store, "r3", second, "interrupted", "2026-01-02T00:00:00Z");
  CHECK(resume_or_start_invocation(*store, "key-a", 2) == second);
}

TEST_CASE("invocation: the key follows what changes results, not threads or the cache", "[cli]") {
  EvaluateOptions options;
  const std::string base = invocation_key({"lamp-2", "lamp-3"}, {"baseline"}, options);
  CHECK(invocation_key({"lamp-2", "lamp-3"}, {"baseline"}, options) == base);
  CHECK(invocation_key({"lamp-3", "lamp-2"}, {"baseline"}, options) != base);
  CHECK(invocation_key({"lamp-2", "lamp-3"}, {"baseline:kind=nearest"}, options) != base);
  EvaluateOptions other = options;
  other.threads = 7;
  other.max_in_flight = 3;
  other.use_cache = false;
  other.progress = false;
  CHECK(invocation_key({"lamp-2", "lamp-3"}, {"baseline"}, other) == base);
  for (auto change : std::vector<std::function<void(EvaluateOptions&)>>{
           [](EvaluateOptions& o) { o.seed = 7; }, [](EvaluateOptions& o) { o.limit = 5; },
           [](EvaluateOptions& o) { o.shard_count = 2; }, [](EvaluateOptions& o) { o.judge_spec = "baseline"; },
           [](EvaluateOptions& o) { o.judge_samples = 3; }, [](EvaluateOptions& o) { o.embedder_spec = "x"; },
           [](EvaluateOptions& o) { o.data_dir = "/data"; }}) {
    EvaluateOptions changed = options;
    change(changed);
    CHECK(invocation_key({"lamp-2", "lamp-3"}, {"baseline"}, changed) != base);
  }
}
