// `perseval export [--db FILE] --output-path DIR [--runs ID,...] [--log-samples]`: the
// results JSON and per-sample JSONL of stored runs (reports/export_results.h).
#include <iostream>
#include <sstream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "harness/store/store.h"
#include "reports/export_results.h"

namespace perseval::cli {

int cmd_export(int argc, char** argv) {
  // Args knows only --long flags; accept the customary -o as --output-path.
  std::vector<std::string> words;
  for (int i = 0; i < argc; ++i) words.push_back(std::string(argv[i]) == "-o" ? "--output-path" : argv[i]);
  std::vector<char*> pointers;
  for (auto& w : words) pointers.push_back(w.data());
  Args args(static_cast<int>(pointers.size()), pointers.data(), 0, {"db", "output-path", "runs"}, {"log-samples"});
  const auto dir = args.value("output-path");
  if (!dir) throw InputError("usage: perseval export [--db FILE] -o DIR [--runs ID,...] [--log-samples]");
  auto store = Store::open(args.value_or("db", kDefaultDb));
  std::vector<RunRecord> runs;
  const auto wanted = args.values("runs");
  if (wanted.empty()) {
    for (auto& run : store->list_runs())
      if (run.status == "finished") runs.push_back(std::move(run));
  } else {
    for (const auto& list : wanted) {
      std::stringstream ids(list);
      std::string id;
      while (std::getline(ids, id, ',')) {
        if (id.empty()) continue;
        auto run = store->get_run(id);
        if (!run) throw InputError("--runs: no run '" + id + "' in the database");
        runs.push_back(std::move(*run));
      }
    }
  }
  for (const auto& path : export_runs(*store, runs, *dir, args.has("log-samples"))) std::cout << path << "\n";
  return 0;
}

}  // namespace perseval::cli
