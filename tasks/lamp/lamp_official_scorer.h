// `perseval score lamp-N --golds G --preds P`: LaMP's eval/eval_task.py in C++ (lamp.md §5).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace perseval::lamp {

// Scores the predictions file `preds_path` against `golds_path`, both in the
// {"task", "golds": [{"id", "output"}]} format, for the variant named `variant_name`
// ("lamp-1" … "lamp-7", "lamp-2-news"; the variant picks the label list because both LaMP-2
// variants share the task string "LaMP_2").
//
// Returns exactly the official keys in upstream's order: accuracy, f1 (LaMP-1/2) /
// MAE, RMSE (LaMP-3) / rouge-1, rouge-L (LaMP-4…7, plain means where upstream reports an
// unseeded bootstrap median, lamp.md §6).
//
// As upstream: both files must carry the variant's task string; the prediction id set must
// equal the gold id set; a repeated id keeps its last record. Throws InputError (one line,
// naming the file) on an unknown variant, unreadable or malformed files, a task mismatch,
// or differing id sets (listing up to 10 missing and 10 extra ids with their counts).
std::vector<std::pair<std::string, double>> score_official_files(const std::string& variant_name,
                                                                 const std::string& golds_path,
                                                                 const std::string& preds_path);

}  // namespace perseval::lamp
