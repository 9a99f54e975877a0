// libFuzzer target: LaMP outputs/prediction files ({"task", "golds": [{"id", "output"}]})
// and `perseval score lamp-N`, which reads a golds file and a predictions file.
//
// Input: byte 0 picks the variant (all_variants() index, modulo), byte 1 bit 0 sets
// allow_number_outputs, then the golds file, optionally "\n=====\n" and the predictions file.
// Documented outcome for bad files: InputError.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.h"
#include "tasks/lamp/lamp_official_scorer.h"
#include "tasks/lamp/lamp_outputs_file.h"
#include "tasks/lamp/lamp_variant.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace perseval;
  if (size < 2) return 0;
  const auto& variants = lamp::all_variants();
  const lamp::Variant& variant = variants[data[0] % variants.size()];
  const auto parts = fuzz::split_parts(fuzz::as_text(data + 2, size - 2));
  auto& scratch = fuzz::Scratch::get();
  const std::string golds = scratch.write("golds.json", parts[0]);

  lamp::OutputsFileOptions options;
  options.expected_task = variant.task_string;
  options.allow_number_outputs = (data[1] & 1) != 0;
  try {
    (void)lamp::read_outputs_file(golds, options);
  } catch (const InputError& e) {
    fuzz::note("read_outputs_file", e);
  }
  if (parts.size() > 1) {
    const std::string preds = scratch.write("preds.json", parts[1]);
    try {
      (void)lamp::score_official_files(variant.name, golds, preds);
    } catch (const InputError& e) {
      fuzz::note("score lamp", e);
    }
  }
  return 0;
}
