// libFuzzer target: PERSONAMEM's questions CSV (CsvReader, header and row checks, the
// all_options literal) and shared-contexts JSONL through the whole task pipeline, plus
// `perseval score personamem` on a predictions JSONL.
//
// Input: byte 0 picks the options (bit 0: system_merge=1; bit 1: context=none; bit 2:
// budget=200; bit 3: type_map=literal; bits 4-5: size), then the questions CSV,
// "\n=====\n", the contexts JSONL, and optionally "\n=====\n" and a predictions JSONL.
// Documented outcome for bad files: InputError.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.h"
#include "harness/core/spec.h"
#include "tasks/personamem/personamem_official_scorer.h"
#include "tasks/personamem/personamem_task.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace perseval;
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const auto parts = fuzz::split_parts(fuzz::as_text(data + 1, size - 1));
  auto& scratch = fuzz::Scratch::get();
  const std::string questions = scratch.write("questions.csv", parts[0]);
  const std::string contexts = scratch.write("contexts.jsonl", parts.size() > 1 ? parts[1] : "");

  static const char* kSizes[] = {"32k", "128k", "1M", "32k"};
  Spec spec;
  spec.name = "personamem";
  spec.params["questions"] = questions;
  spec.params["contexts"] = contexts;
  spec.params["size"] = kSizes[(flags >> 4) & 3];
  spec.params["system_merge"] = (flags & 1) ? "1" : "0";
  spec.params["context"] = (flags & 2) ? "none" : "full";
  if ((flags & 4) && !(flags & 2)) spec.params["budget"] = "200";
  spec.params["type_map"] = (flags & 8) ? "literal" : "format";
  const auto task = personamem::make_personamem_task(spec);
  fuzz::exercise_task(*task, DataSource{}, 32, fuzz::one_in_eight(size));

  if (parts.size() > 2) {
    const std::string preds = scratch.write("preds.jsonl", parts[2]);
    for (const bool as_json : {true, false}) {
      std::string notes;
      try {
        (void)personamem::run_score_command("personamem", questions, preds, as_json, notes);
      } catch (const InputError& e) {
        fuzz::note("score personamem", e);
      }
    }
  }
  return 0;
}
