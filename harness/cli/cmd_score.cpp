// `perseval score TASK ...`: scores an existing predictions file like the benchmark's own
// evaluation script, printing the official keys.
#include <cstdio>
#include <iostream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "harness/core/types.h"
#include "tasks/lamp/lamp_official_scorer.h"
#include "tasks/personamem/personamem_official_scorer.h"
#include "tasks/personabench/results_file.h"
#include "tasks/personalized_judge/recorded_file.h"

namespace perseval::cli {

int cmd_score(int argc, char** argv) {
  Args args(argc, argv, 0, {"golds", "preds", "questions", "data-dir", "noise", "high-threshold"},
            {"json", "tie"});
  if (args.positionals().size() != 1)
    throw InputError("usage: perseval score lamp-N --golds FILE --preds FILE [--json] | "
                     "perseval score personamem --questions FILE.csv --preds FILE.jsonl [--json] | "
                     "perseval score personabench --data-dir DIR --noise X --preds RESULTS.json [--json] | "
                     "perseval score personalized-judge --preds FILE.jsonl [--json] [--tie] [--high-threshold N]");
  const std::string task = args.positionals()[0];
  if (task == "personalized-judge") {
    const auto preds = args.value("preds");
    if (!preds) throw InputError("score personalized-judge needs --preds FILE.jsonl (recorded judgements)");
    personalized_judge::RecordedFileOptions o;
    o.force_tie = args.has("tie");
    o.high_threshold = static_cast<int>(args.int_or("high-threshold", 80));
    if (o.high_threshold < 1 || o.high_threshold > 100) throw InputError("--high-threshold must be in 1..100");
    const auto report = personalized_judge::analyse_recorded_file(*preds, o);
    std::cout << (args.has("json") ? personalized_judge::report_json(report).dump(2) + "\n"
                                   : personalized_judge::report_text(report));
    return 0;
  }
  if (task == "personamem" || task.rfind("personamem:", 0) == 0) {
    const auto questions = args.value("questions");
    const auto preds = args.value("preds");
    if (!questions || !preds)
      throw InputError("score personamem needs --questions FILE.csv and --preds FILE.jsonl");
    std::string notes;
    std::cout << personamem::run_score_command(task, *questions, *preds, args.has("json"), notes);
    std::cerr << notes;
    return 0;
  }
  if (task == "personabench") {
    const auto data_dir = args.value("data-dir");
    const auto noise = args.value("noise");
    const auto preds = args.value("preds");
    if (!data_dir || !noise || !preds)
      throw InputError("score personabench needs --data-dir DIR, --noise X and --preds RESULTS.json");
    std::string notes;
    std::cout << personabench::run_score_command(*data_dir, *noise, *preds, args.has("json"), notes);
    std::cerr << notes;
    return 0;
  }
  if (task.rfind("lamp-", 0) != 0)
    throw InputError("score: unknown task '" + task +
                     "' (known: lamp-1 … lamp-7, lamp-2-news, personamem, personabench, personalized-judge)");
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
