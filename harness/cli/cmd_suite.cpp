// `perseval suite FILE.json [--shard I/N] [--json] [--no-progress]`: a nightly plan
// (harness/cli/suite_plan.h) run in one go, then the leaderboard and the HTML report.
#include <cstdio>
#include <iostream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/cli/suite_plan.h"
#include "harness/core/errors.h"
#include "harness/store/store.h"
#include "reports/html_report.h"
#include "reports/leaderboard.h"

namespace perseval::cli {

int cmd_suite(int argc, char** argv) {
  Args args(argc, argv, 0, {"shard", "db"}, {"json", "no-progress"});
  if (args.positionals().size() != 1) throw InputError("usage: perseval suite FILE.json [--shard I/N] [--db FILE] [--json]");
  SuitePlan plan = parse_suite_plan(args.positionals()[0]);
  EvaluateOptions& options = plan.options;
  options.progress = !args.has("no-progress");
  // One plan for every shard: each shard writes its own database (merged afterwards).
  if (const auto db = args.value("db")) options.db_path = *db;
  if (const auto shard = args.value("shard")) parse_shard(*shard, options.shard_index, options.shard_count);
  const bool sharded = options.shard_count > 1;
  std::cerr << "perseval suite " << plan.name << ": " << plan.models.size() << " models x " << plan.tasks.size()
            << " tasks -> " << options.db_path
            << (sharded ? " (shard " + std::to_string(options.shard_index) + "/" + std::to_string(options.shard_count) + ")"
                        : std::string())
            << "\n";
  double wall_s = 0;
  const auto runs = evaluate_all(plan.tasks, plan.models, options, wall_s);
  export_if_asked(options, runs);
  for (const auto& r : runs)
    if (r.interrupted) {
      std::cerr << "perseval: interrupted; run the same suite again to resume\n";
      return 130;
    }

  auto store = Store::open(options.db_path);
  const auto board = build_leaderboard(*store);
  // A shard holds a part of each run: its leaderboard and report would mislead, so they are
  // left to the step after `perseval merge`.
  if (!plan.report_path.empty() && !sharded) {
    report::ReportOptions report_options;
    report_options.title = plan.name;
    const auto written = report::write_html_report(*store, report_options, plan.report_path);
    std::cerr << "perseval suite: report " << plan.report_path << " (" << written.bytes << " bytes)\n";
  }
  if (args.has("json")) {
    json out = json::parse(format_run_json(runs, wall_s));
    out["suite"] = plan.name;
    out["leaderboard"] = json::parse(format_leaderboard_json(board));
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << format_run_table(runs) << "\n" << format_leaderboard_text(board);
    std::printf("\n%zu runs in %.2f s, stored in %s\n", runs.size(), wall_s, options.db_path.c_str());
  }
  return 0;
}

}  // namespace perseval::cli
