// `perseval merge OUT.db IN.db...` (harness/runner/merge_runs.h).
#include <iostream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "harness/core/types.h"
#include "harness/runner/merge_runs.h"

namespace perseval::cli {

int cmd_merge(int argc, char** argv) {
  Args args(argc, argv, 0, {}, {"json"});
  const auto& paths = args.positionals();
  if (paths.size() < 2) throw InputError("usage: perseval merge OUT.db IN.db [IN.db...]");
  const std::vector<std::string> inputs(paths.begin() + 1, paths.end());
  const MergeReport report = merge_databases(paths.front(), inputs);
  for (const auto& w : report.warnings) std::cerr << "perseval merge: warning: " << w << "\n";
  if (args.has("json")) {
    std::cout << json{{"runs_copied", report.runs_copied},
                      {"runs_joined", report.runs_joined},
                      {"samples_added", report.samples_added},
                      {"warnings", report.warnings}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "merged into " << paths.front() << ": " << report.runs_copied << " runs copied, "
              << report.runs_joined << " sharded configurations joined, " << report.samples_added
              << " samples added\n";
  }
  return 0;
}

}  // namespace perseval::cli
