// libFuzzer target: PERSONAMEM's cell parsers — the all_options list literal (JSON or Python
// repr), Python int() of the end index and the context-token bucket.
// Input: the cell text. Documented outcome for a bad literal: LiteralError; the others never
// throw.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz/fuzz_support.h"
#include "tasks/personamem/python_list_literal.h"
#include "tasks/personamem/question_sample.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace perseval;
  const std::string_view text = fuzz::as_text(data, size);
  try {
    (void)personamem::parse_python_string_list(text);
  } catch (const personamem::LiteralError& e) {
    if (e.offset > size) std::abort();  // the offset points into the literal (or its end)
  }
  (void)personamem::parse_python_int(text);
  (void)personamem::context_tokens_bucket(text);
  return 0;
}
