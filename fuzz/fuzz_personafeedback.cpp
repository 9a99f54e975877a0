// libFuzzer target: PersonaFeedback's persona table (persona/all_personas.jsonl) and a tier
// file (data/general/easy.jsonl) through the whole task pipeline.
//
// Input: byte 0 picks the options (bit 0: mode=reward; bits 1-2: position; bit 3:
// order=both; bit 4: certainty=1-100; bit 5: persona_format=json; bit 6: persona_join=
// field:Name), then the persona JSONL, "\n=====\n" and the tier JSONL.
// Documented outcome for bad files: InputError.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.h"
#include "harness/core/spec.h"
#include "tasks/personafeedback/personafeedback_task.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace perseval;
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const auto parts = fuzz::split_parts(fuzz::as_text(data + 1, size - 1));
  auto& scratch = fuzz::Scratch::get();
  scratch.write("pf/persona/all_personas.jsonl", parts[0]);
  scratch.write("pf/data/general/easy.jsonl", parts.size() > 1 ? parts[1] : "");

  static const char* kPositions[] = {"random", "alternate", "stored", "random"};
  Spec spec;
  spec.name = "personafeedback";
  spec.params["path"] = scratch.dir() + "/pf";
  spec.params["track"] = "general";
  spec.params["tier"] = "easy";
  const bool reward = (flags & 1) != 0;  // reward mode takes neither order=both nor certainty
  spec.params["mode"] = reward ? "reward" : "choice";
  spec.params["position"] = kPositions[(flags >> 1) & 3];
  spec.params["order"] = (flags & 8) && !reward ? "both" : "single";
  spec.params["certainty"] = (flags & 16) && !reward ? "1-100" : "none";
  spec.params["persona_format"] = (flags & 32) ? "json" : "flat";
  spec.params["persona_join"] = (flags & 64) ? "field:Name" : "line";
  const auto task = personafeedback::make_personafeedback_task(spec);
  fuzz::exercise_task(*task, DataSource{}, 32, fuzz::one_in_eight(size));
  return 0;
}
