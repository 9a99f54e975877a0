// libFuzzer target: PERSONAMEM's official answer extraction (extract_answer and its pieces)
// on a model response. Input: byte 0 picks the gold cell, the rest is the response; the
// response is also read as a gold cell. None of these functions throws.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz/fuzz_support.h"
#include "tasks/personamem/answer_extraction.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace perseval;
  if (size < 1) return 0;
  static const char* kGolds[] = {"(a)", "(b)", "(c)", "(d)", "B", " (D) ", "(e)", ""};
  const std::string_view response = fuzz::as_text(data + 1, size - 1);
  const auto extraction = personamem::extract_answer(response, kGolds[data[0] % 8]);
  (void)personamem::format_letters(extraction.tail_letters);
  const std::string letters = personamem::option_letters(response);
  for (size_t i = 0; i < letters.size(); ++i) {  // documented: sorted distinct letters a-d
    if (letters[i] < 'a' || letters[i] > 'd') std::abort();
    if (i > 0 && letters[i - 1] >= letters[i]) std::abort();
  }
  (void)personamem::format_letters(letters);
  const std::string gold = personamem::gold_letter(response);
  if (gold.size() > 1) std::abort();
  return 0;
}
