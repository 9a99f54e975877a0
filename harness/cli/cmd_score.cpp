// `perseval score TASK ...`: scores an existing predictions file like the benchmark's own
// evaluation script, printing the official keys.
#include <cstdio>
#include <iostream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "harness/core/types.h"
#include "tasks/lamp/lamp_official_scorer.h"

namespace perseval::cli {

int cmd_score(int argc, char** argv) {
  Args args(argc, argv, 0, {"golds", "preds"}, {"json"});
  if (args.positionals().size() != 1)
    throw InputError("usage: perseval score lamp-N --golds FILE --preds FILE [--json]");
  const std::string task = args.positionals()[0];
  if (task.rfind("lamp-", 0) != 0)
    throw InputError("score: unknown task '" + task + "' (known: lamp-1 … lamp-7, lamp-2-news)");
  const auto golds = args.value("golds");
  const auto preds = args.value("preds");
  if (!golds || !preds) throw InputError("score " + task + " needs --golds FILE and --preds FILE");
  const auto metrics = lamp::score_official_files(task, *golds, *preds);
  if (args.has("json")) {
    // Like eval_task.py's output file: one flat object of the official keys.
    json out = json::object();
    for (const auto& [name, value] : metrics) out[name] = value;
    std::cout << out.dump(2) << "\n";
  } else {
    for (const auto& [name, value] : metrics) std::printf("%-10s %.17g\n", name.c_str(), value);
  }
  return 0;
}

}  // namespace perseval::cli
