// The `perseval` command line: dispatches to the subcommands in harness/cli.
#include <csignal>
#include <cstring>
#include <iostream>
#include <unistd.h>

#include "harness/cli/commands.h"
#include "harness/core/errors.h"

namespace perseval::cli {
std::atomic<bool> g_stop_requested{false};
}

namespace {

const char* kUsage = R"(perseval — evaluation harness for personalized LLMs

usage:
  perseval run --model SPEC --tasks LIST [--limit N] [--db FILE] [--data-dir DIR]
               [--seed N] [--threads N] [--max-in-flight N] [--json] [--no-progress]
               [--cache FILE | --no-cache] [--prices FILE] [--judge SPEC [--judge-samples K]]
               [--embedder SPEC] [--shard I/N] [--output-path DIR [--log-samples]]
  perseval demo [--db FILE] [--report FILE.html] [--threads N] [--json] [--output-path DIR [--log-samples]]
  perseval score lamp-N --golds FILE --preds FILE [--json]
  perseval score personamem --questions FILE.csv --preds FILE.jsonl [--json]
  perseval score personabench --data-dir DIR --noise X --preds RESULTS.json [--json]
  perseval score personalized-judge --preds FILE.jsonl [--json] [--tie]
  perseval list tasks|models|runs [--db FILE] [--json]
  perseval show RUN_ID [--db FILE] [--json]
  perseval leaderboard [--db FILE] [--json|--markdown|--csv]
  perseval report [--db FILE] [-o FILE.html] [--runs ID,...] [--max-samples N] [--max-chars N]
                  [--title TEXT] [--compare A --compare B]
  perseval suite FILE.json [--shard I/N] [--db FILE] [--json] [--no-progress]
  perseval merge OUT.db IN.db [IN.db...] [--json]
  perseval compare A B [--db FILE] [--json] [--fail-if-worse DELTA] [--alpha 0.05]
  perseval export [--db FILE] -o DIR [--runs ID,...] [--log-samples]
  perseval datasets fetch BENCH|all [--split S] [--task T] [--dir DIR] [--base-url URL]
  perseval datasets status|verify [BENCH] [--dir DIR] [--json]
  perseval datasets list

specs:   lamp-2:k=4,retriever=bm25     baseline:kind=majority
default database: results/perseval.db
exit codes: 0 ok, 1 failure, 2 bad input, 130 interrupted (rerun to resume)
)";

void on_sigint(int) {
  if (perseval::cli::g_stop_requested.exchange(true)) _exit(130);  // second Ctrl-C: leave now
  const char msg[] = "\nperseval: stopping after the samples in flight (Ctrl-C again to abort)\n";
  (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace perseval::cli;
  if (argc < 2 || !std::strcmp(argv[1], "help") || !std::strcmp(argv[1], "--help") ||
      !std::strcmp(argv[1], "-h")) {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  const std::string command = argv[1];
  try {
    if (command == "run") return cmd_run(argc - 2, argv + 2);
    if (command == "demo") return cmd_demo(argc - 2, argv + 2);
    if (command == "score") return cmd_score(argc - 2, argv + 2);
    if (command == "list") return cmd_list(argc - 2, argv + 2);
    if (command == "show") return cmd_show(argc - 2, argv + 2);
    if (command == "leaderboard") return cmd_leaderboard(argc - 2, argv + 2);
    if (command == "report") return cmd_report(argc - 2, argv + 2);
    if (command == "merge") return cmd_merge(argc - 2, argv + 2);
    if (command == "suite") return cmd_suite(argc - 2, argv + 2);
    if (command == "compare") return cmd_compare(argc - 2, argv + 2);
    if (command == "export") return cmd_export(argc - 2, argv + 2);
    if (command == "datasets") return cmd_datasets(argc - 2, argv + 2);
    std::cerr << "perseval: unknown command '" << command << "'\n" << kUsage;
    return 2;
  } catch (const perseval::InputError& e) {
    std::cerr << "perseval: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "perseval: failed: " << e.what() << "\n";
    return 1;
  }
}
