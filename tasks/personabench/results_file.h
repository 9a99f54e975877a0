// `perseval score personabench`: re-scores an official results file
// (logs/.../result_noise_{X}.json: [{"Model": "<llm>+<retriever>", "Results": [{q_id,
// prediction, retrieved_segment_ids, answer, type, difficulty, ground_truth_segment_ids}]}])
// exactly as scripts/evaluation/eval.py does, plus the corrected reading (personabench.md §4, §5).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tasks/personabench/python_format.h"

namespace perseval::personabench {

// The averages of one category (or Overall) of one scoring variant.
struct CategoryResult {
  std::string name;
  long long n = 0;
  double precision = 0.0, recall = 0.0, f1 = 0.0;
  bool has_retrieval = false;  // false for gt-context models, as eval.py
  double retrieval_recall = 0.0, retrieval_ndcg = 0.0;
};

// One variant (official or corrected) of one model.
struct VariantResult {
  std::vector<CategoryResult> categories;  // official order, other categories sorted, Overall last
  long long outdated_n = 0;                // questions with an outdated_value
  double outdated_recall = 0.0;
  long long subjective_n = 0;              // corrected only: exact-letter Subjective accuracy
  double subjective_accuracy = 0.0;
  std::string error;  // official only: why eval.py would crash (NameError); nothing else is set
};

// One {"Model", "Results"} entry.
struct ModelResult {
  std::string model;
  std::string retriever;  // text after the last '+'; "" when there is none
  long long n_results = 0;
  std::string k_label;    // "5" when every entry retrieved 5 ids, else "k"
  VariantResult official;
  VariantResult corrected;
};

// Scores `preds_path` against the data under `data_root` (an eval_data_v1 directory, see
// layout.h) at `noise`. As eval.py: outdated values come from every community's
// eval_info_all.json (a repeated q_id is an error); answer, type, difficulty and
// ground_truth_segment_ids come from each result entry — an entry lacking one takes it from
// the data (the ground truth from qa_gt_context_all_noise_{noise}.json); retrieval scores
// use k = len(retrieved_segment_ids) and are skipped for "+gt-context" models; categories
// without questions are left out instead of raising. Means are unrounded (eval.py rounds to
// 3 decimals). Throws InputError naming the file, record and field on malformed input.
std::vector<ModelResult> score_results_file(const std::string& data_root, const std::string& noise,
                                            const std::string& preds_path);

// {"noise", "models": [{"model", "retriever", "n", "official": {CATEGORY: {"n",
// "precision", "recall", "f1", "recall@K", "ndcg@K"}, "outdated_information": {"n",
// "recall"}}, "corrected": {... , "Subjective": {"n", "accuracy"}}}]}. An official variant
// that cannot be computed is {"error": "..."}.
ordered_json results_to_json(const std::vector<ModelResult>& models, const std::string& noise);

// The same as aligned text tables, one per model and variant.
std::string results_to_text(const std::vector<ModelResult>& models, const std::string& noise);

// `perseval score personabench --data-dir DIR --noise X --preds FILE [--json]`: finds the
// data under DIR (layout.h find_data_root), checks the noise level, scores and returns the
// text or JSON report. `notes` receives warnings for stderr (an official variant that
// eval.py could not compute). Throws InputError on bad arguments or input.
std::string run_score_command(const std::string& data_dir, const std::string& noise,
                              const std::string& preds_path, bool as_json, std::string& notes);

}  // namespace perseval::personabench
