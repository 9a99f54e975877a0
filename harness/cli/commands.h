// The `perseval` subcommands. Each takes the arguments after the subcommand name and
// returns the process exit code: 0 success, 1 failure, 2 bad input, 130 interrupted.
#pragma once

#include <atomic>
#include <string>
#include <vector>

namespace perseval::cli {

// Set by SIGINT; long-running commands stop cleanly when it becomes true.
extern std::atomic<bool> g_stop_requested;

int cmd_run(int argc, char** argv);
int cmd_demo(int argc, char** argv);
int cmd_list(int argc, char** argv);
int cmd_show(int argc, char** argv);
int cmd_score(int argc, char** argv);
int cmd_leaderboard(int argc, char** argv);
// `perseval report`: one self-contained HTML report of a database (harness/cli/cmd_report.cpp).
int cmd_report(int argc, char** argv);
// `perseval merge OUT.db IN.db...` (harness/cli/cmd_merge.cpp).
int cmd_merge(int argc, char** argv);
// `perseval compare A B`: paired comparison and regression gate (harness/cli/cmd_compare.cpp).
int cmd_compare(int argc, char** argv);
// `perseval export -o DIR [--runs ...] [--log-samples]` (harness/cli/cmd_export.cpp).
int cmd_export(int argc, char** argv);
// `perseval suite FILE.json [--shard I/N]` (harness/cli/cmd_suite.cpp).
int cmd_suite(int argc, char** argv);
// `perseval datasets fetch|status|verify|list` (harness/cli/cmd_datasets.cpp).
int cmd_datasets(int argc, char** argv);

// Splits a --tasks value into task specs. A piece with '=' but no ':' continues the
// previous spec's parameters: "lamp-1,lamp-2:k=4,retriever=bm25" → {"lamp-1",
// "lamp-2:k=4,retriever=bm25"}. A family name ("lamp") expands to its tasks; "all" to every
// task that runs with its default parameters.
std::vector<std::string> expand_task_list(const std::string& text);

// The default database path.
inline const char* kDefaultDb = "results/perseval.db";

}  // namespace perseval::cli
