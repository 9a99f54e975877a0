// `perseval run` and `perseval demo`.
#include <filesystem>
#include <iostream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/cli/evaluate.h"
#include "harness/core/errors.h"
#include "harness/store/store.h"
#include "reports/html_report.h"
#include "reports/leaderboard.h"
#include "tasks/registry.h"

namespace perseval::cli {

namespace {

EvaluateOptions evaluate_options(const Args& args) {
  EvaluateOptions o;
  o.db_path = args.value_or("db", kDefaultDb);
  o.data_dir = args.value_or("data-dir", "");
  o.seed = static_cast<uint64_t>(args.int_or("seed", 1234));
  o.limit = args.int_or("limit", -1);
  o.threads = static_cast<int>(args.int_or("threads", 0));
  o.max_in_flight = static_cast<int>(args.int_or("max-in-flight", 256));
  o.progress = !args.has("no-progress");
  o.use_cache = !args.has("no-cache");
  o.cache_path = args.value_or("cache", args.value_or("use-cache", ""));
  o.prices_path = args.value_or("prices", "");
  o.judge_spec = args.value_or("judge", "");
  o.judge_samples = static_cast<int>(args.int_or("judge-samples", 1));
  o.embedder_spec = args.value_or("embedder", "");
  if (const auto shard = args.value("shard")) parse_shard(*shard, o.shard_index, o.shard_count);
  o.output_path = args.value_or("output-path", "");
  o.log_samples = args.has("log-samples");
  if (o.log_samples && o.output_path.empty())
    throw InputError("--log-samples needs --output-path DIR (where the JSONL files go)");
  if (o.judge_samples < 1 || o.judge_samples > 100) throw InputError("--judge-samples must be in 1..100");
  if (o.max_in_flight < 1) throw InputError("--max-in-flight must be >= 1");
  if (o.threads < 0) throw InputError("--threads must be >= 0");
  return o;
}

int finish(const std::vector<RunSummary>& runs) {
  for (const auto& r : runs)
    if (r.interrupted) {
      std::cerr << "perseval: interrupted; finished samples are stored, run the same command "
                   "again to resume\n";
      return 130;
    }
  return 0;
}

}  // namespace

int cmd_run(int argc, char** argv) {
  Args args(argc, argv, 0, {"model", "tasks", "limit", "db", "data-dir", "seed", "threads", "max-in-flight",
             "cache", "use-cache", "prices", "judge", "judge-samples", "embedder", "shard", "output-path"},
            {"json", "no-progress", "no-cache", "log-samples"});
  const auto model = args.value("model");
  const auto tasks = args.values("tasks");
  if (!model || tasks.empty())
    throw InputError("run needs --model SPEC and --tasks LIST (see `perseval help`)");
  std::vector<std::string> task_specs;
  for (const auto& t : tasks)
    for (auto& spec : expand_task_list(t)) task_specs.push_back(spec);
  double wall_s = 0;
  const EvaluateOptions options = evaluate_options(args);
  const auto runs = evaluate_all(task_specs, {*model}, options, wall_s);
  export_if_asked(options, runs);
  if (args.has("json"))
    std::cout << format_run_json(runs, wall_s) << "\n";
  else
    std::cout << format_run_table(runs);
  return finish(runs);
}

int cmd_demo(int argc, char** argv) {
  Args args(argc, argv, 0, {"db", "seed", "threads", "limit", "output-path", "report"},
            {"json", "no-progress", "log-samples"});
  std::vector<std::string> task_specs;
  for (const auto& name : known_task_names())
    if (name.rfind("lamp-", 0) == 0 || name == "personamem" || name == "personabench" ||
        name == "personafeedback")
      task_specs.push_back(name);
  const std::vector<std::string> models{"baseline:kind=random", "baseline:kind=majority",
                                        "baseline:kind=nearest", "baseline:kind=longest"};
  EvaluateOptions options = evaluate_options(args);
  std::cerr << "perseval demo: " << task_specs.size() << " bundled tasks x " << models.size()
            << " offline baselines -> " << options.db_path << "\n";
  double wall_s = 0;
  const auto runs = evaluate_all(task_specs, models, options, wall_s);
  export_if_asked(options, runs);
  auto store = Store::open(options.db_path);
  const auto board = build_leaderboard(*store);
  // The demo ends with the HTML report next to the database (results/report.html).
  const std::string report_path =
      args.value_or("report", (std::filesystem::path(options.db_path).parent_path() / "report.html").string());
  report::ReportOptions report_options;
  report_options.title = "perseval demo: bundled tasks x offline baselines";
  const auto written = report::write_html_report(*store, report_options, report_path);
  if (args.has("json")) {
    std::cout << format_leaderboard_json(board) << "\n";
  } else {
    std::cout << format_leaderboard_text(board);
    std::printf("\n%zu runs in %.2f s, stored in %s; HTML report: %s (%zu bytes)\n", runs.size(), wall_s,
                options.db_path.c_str(), report_path.c_str(), written.bytes);
    // Offline baselines cannot grade or be graded here; say how to run these (README).
    std::printf("not in the demo: penguin (judge-scored: needs --judge SPEC), personalized-judge "
                "(needs file=PATH of recorded judgements)\n");
  }
  return finish(runs);
}

int cmd_leaderboard(int argc, char** argv) {
  Args args(argc, argv, 0, {"db"}, {"json", "markdown", "csv"});
  if (args.has("json") + args.has("markdown") + args.has("csv") > 1)
    throw InputError("leaderboard: choose one of --json, --markdown, --csv");
  auto store = Store::open(args.value_or("db", kDefaultDb));
  const auto board = build_leaderboard(*store);
  if (args.has("json"))
    std::cout << format_leaderboard_json(board) << "\n";
  else if (args.has("markdown"))
    std::cout << format_leaderboard_markdown(board);
  else if (args.has("csv"))
    std::cout << format_leaderboard_csv(board);
  else
    std::cout << format_leaderboard_text(board);
  return 0;
}

}  // namespace perseval::cli
