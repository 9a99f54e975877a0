// libFuzzer target: the LaMP questions/outputs loader and the whole LaMP task pipeline on
// whatever it loads (render with retrieval, score, aggregate).
//
// Input: byte 0 picks the variant (all_variants() index, modulo), byte 1 the options
// (bit 0: scheme=time; bits 1-3: retriever; bit 4: truncate=words; bit 5: split=test),
// then the questions file, optionally followed by "\n=====\n" and the outputs file.
// Documented outcome for bad files: InputError.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.h"
#include "harness/core/spec.h"
#include "tasks/lamp/lamp_task.h"
#include "tasks/lamp/lamp_variant.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace perseval;
  if (size < 2) return 0;
  const auto& variants = lamp::all_variants();
  const lamp::Variant& variant = variants[data[0] % variants.size()];
  const uint8_t flags = data[1];
  const auto parts = fuzz::split_parts(fuzz::as_text(data + 2, size - 2));

  static const char* kRetrievers[] = {"bm25", "recency", "random", "random_unique", "none"};
  Spec spec;
  spec.name = variant.name;
  spec.params["scheme"] = (flags & 1) ? "time" : "user";
  spec.params["retriever"] = kRetrievers[((flags >> 1) & 7) % 5];
  spec.params["k"] = "2";
  if (flags & 16) {
    spec.params["truncate"] = "words";
    spec.params["budget"] = "40";
  }
  auto& scratch = fuzz::Scratch::get();
  spec.params["questions"] = scratch.write("questions.json", parts[0]);
  if (parts.size() > 1) {
    spec.params["outputs"] = scratch.write("outputs.json", parts[1]);
  } else if (flags & 32) {
    spec.params["split"] = "test";  // no golds
  } else {
    spec.params["outputs"] = scratch.dir() + "/missing_outputs.json";  // unreadable: InputError
  }
  const auto task = lamp::make_lamp_task(spec);
  DataSource source;
  fuzz::exercise_task(*task, source, 32, fuzz::one_in_eight(size));
  return 0;
}
