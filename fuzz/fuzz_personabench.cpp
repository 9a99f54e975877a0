// libFuzzer target: PersonaBench's JSON files (eval_info_all.json, qa_gt_context, the three
// private-data document files) through the whole task pipeline, and an official results
// file through `perseval score personabench`.
//
// Input: byte 0 picks the options (bit 0: retriever=oracle instead of bm25; bit 1: k=1;
// bit 2: prompt=plain), then up to six parts separated by "\n=====\n":
// eval_info_all.json, qa_gt_context_all_noise_0.5.json, conversation_data_all.json,
// user_ai_interaction_data_all.json, purchase_history_data_all.json and a results file.
// A missing part leaves that file absent. Documented outcome for bad files: InputError.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.h"
#include "harness/core/spec.h"
#include "tasks/personabench/personabench_task.h"
#include "tasks/personabench/results_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace perseval;
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const auto parts = fuzz::split_parts(fuzz::as_text(data + 1, size - 1));
  static const char* kFiles[] = {
      "synthetic_data/community_0/eval_info/eval_info_all.json",
      "synthetic_data/community_0/eval_info/qa_gt_context_all_noise_0.5.json",
      "synthetic_data/community_0/private_data/noise_0.5/conversation_data_all.json",
      "synthetic_data/community_0/private_data/noise_0.5/user_ai_interaction_data_all.json",
      "synthetic_data/community_0/private_data/noise_0.5/purchase_history_data_all.json"};
  auto& scratch = fuzz::Scratch::get();
  for (size_t i = 0; i < 5; ++i) {
    if (i < parts.size())
      scratch.write("pb/" + std::string(kFiles[i]), parts[i]);
    else
      scratch.remove("pb/" + std::string(kFiles[i]));
  }
  const std::string root = scratch.dir() + "/pb";

  Spec spec;
  spec.name = "personabench";
  spec.params["noise"] = "0.5";
  spec.params["retriever"] = (flags & 1) ? "oracle" : "bm25";
  spec.params["k"] = (flags & 2) ? "1" : "5";
  spec.params["prompt"] = (flags & 4) ? "plain" : "official";
  const auto task = personabench::make_personabench_task(spec);
  DataSource source;
  source.data_dir = root;
  fuzz::exercise_task(*task, source, 32, fuzz::one_in_eight(size));

  if (parts.size() > 5) {
    const std::string preds = scratch.write("pb_results.json", parts[5]);
    for (const bool as_json : {true, false}) {
      std::string notes;
      try {
        (void)personabench::run_score_command(root, "0.5", preds, as_json, notes);
      } catch (const InputError& e) {
        fuzz::note("score personabench", e);
      }
    }
  }
  return 0;
}
