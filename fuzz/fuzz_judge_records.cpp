// libFuzzer target: the Personalized-Judge recorded-judgement JSONL — read_judge_records,
// `perseval score personalized-judge` (analysis, JSON and text reports, printed as the
// command prints them) and the personalized-judge task pipeline on the same file.
//
// Input: byte 0 picks the options (bit 0: --tie; bits 1-2: task prompt type; bit 3:
// position=random; bit 4: both_orders=true), then the JSONL file.
// Documented outcome for bad files: InputError.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.h"
#include "harness/core/spec.h"
#include "tasks/personalized_judge/judge_records.h"
#include "tasks/personalized_judge/personalized_judge_task.h"
#include "tasks/personalized_judge/recorded_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace perseval;
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const std::string path = fuzz::Scratch::get().write("judge.jsonl", fuzz::as_text(data + 1, size - 1));

  try {
    personalized_judge::read_judge_records(path, [](personalized_judge::JudgeRecord&& record) {
      (void)personalized_judge::kind_name(record.kind);
      return true;
    });
  } catch (const InputError& e) {
    fuzz::note("read_judge_records", e);
  }
  personalized_judge::RecordedFileOptions options;
  options.force_tie = (flags & 1) != 0;
  try {
    const auto report = personalized_judge::analyse_recorded_file(path, options);
    (void)personalized_judge::report_json(report).dump(2);  // as cmd_score prints it
    (void)personalized_judge::report_text(report);
  } catch (const InputError& e) {
    fuzz::note("score personalized-judge", e);
  }

  static const char* kPrompts[] = {"auto", "recorded", "with_persona", "with_persona_with_tie"};
  Spec spec;
  spec.name = "personalized-judge";
  spec.params["file"] = path;
  spec.params["prompt"] = kPrompts[(flags >> 1) & 3];
  spec.params["position"] = (flags & 8) ? "random" : "recorded";
  spec.params["both_orders"] = (flags & 16) ? "true" : "false";
  const auto task = personalized_judge::make_personalized_judge_task(spec);
  fuzz::exercise_task(*task, DataSource{}, 32, fuzz::one_in_eight(size));
  return 0;
}
