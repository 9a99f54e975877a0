// libFuzzer target: reading a LaMP answer out of a completion (lamp_answer.h), for every
// variant: the official and lenient label ids, the lenient clean-up and both rating readers.
// Input: the completion text. None of these functions throws.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz/fuzz_support.h"
#include "tasks/lamp/lamp_answer.h"
#include "tasks/lamp/lamp_variant.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace perseval;
  const std::string_view text = fuzz::as_text(data, size);
  for (const lamp::Variant& variant : lamp::all_variants()) {
    const int official = lamp::official_label_id(variant, text);
    const int lenient = lamp::lenient_label_id(variant, text);
    const int labels = static_cast<int>(variant.labels.size());
    if (official < -1 || official >= labels || lenient < -1 || lenient >= labels) std::abort();
  }
  const std::string cleaned = lamp::lenient_answer_text(text);
  if (cleaned.size() > text.size()) std::abort();  // the clean-up only removes text
  (void)lamp::official_rating(text);
  if (const auto rating = lamp::lenient_rating(text); rating && !(*rating >= 1.0 && *rating <= 5.0))
    std::abort();  // documented range [1, 5]
  return 0;
}
