// JSON numbers beyond double's range (1e999) in the harness's own input files. nlohmann
// reports them as out_of_range.406, not as a parse_error, so they escaped the readers that
// turn bad JSON into an InputError (the same defect the loader fuzzers found in tasks/).
#include <catch2/catch.hpp>

#include "harness/cli/suite_plan.h"
#include "harness/core/errors.h"
#include "harness/datasets/lock_file.h"
#include "harness/datasets/manifest.h"
#include "tests/harness/subprocess_support.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using perseval::test::TempDir;

TEST_CASE("A number out of range is invalid JSON in manifests, lock files and suites", "[fuzz][datasets][suite]") {
  TempDir dir;
  CHECK_THROWS_WITH(load_manifest(dir.write("manifest.json", R"({"bench": "x", "size": 1e999})")),
                    Catch::Contains("manifest.json: not valid JSON") && Catch::Contains("number overflow"));
  dir.write("data/.perseval-datasets.json", R"({"format": "perseval-datasets-lock", "version": 1e999})");
  CHECK_THROWS_WITH(LockFile::load(dir.file("data")),
                    Catch::Contains(".perseval-datasets.json: not valid JSON") && Catch::Contains("number overflow"));
  CHECK_THROWS_WITH(cli::parse_suite_plan(dir.write("suite.json", R"({"seed": 1e999})")),
                    Catch::Contains("suite.json: not valid JSON") && Catch::Contains("number overflow"));
}

TEST_CASE("perseval run: a --prices file with a number out of range is an input error", "[fuzz][cli]") {
  TempDir dir;
  const auto prices = dir.write("prices.json", R"({"m": {"input_per_million": 1e999}})");
  const auto result = test::run_perseval({"run", "--model", "baseline:kind=majority", "--tasks", "lamp-1",
                                          "--prices", prices, "--db", dir.file("r.db"), "--no-progress"},
                                         dir.path().string());
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("prices.json: not valid JSON") && Catch::Contains("number overflow"));
}
