// libFuzzer target: the judge-reply readers — PENGUIN's read_judge_reply, the pairwise
// choice/certainty extraction (every option combination), the upstream answer and certainty
// rules, the certainty scale, and the Personalized-Judge reading of replies and recorded
// fields. Input: byte 0 picks the extraction options, the rest is the reply. All of these are
// documented as never throwing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz/fuzz_support.h"
#include "tasks/pairwise/certainty_scale.h"
#include "tasks/pairwise/choice_extraction.h"
#include "tasks/pairwise/pair_layout.h"
#include "tasks/penguin/judge_reply.h"
#include "tasks/personalized_judge/judge_scoring.h"

namespace {

using namespace perseval;

void check_choice(const pairwise::Choice& choice, const pairwise::ExtractOptions& options) {
  if (choice.status == "ok") {
    if (choice.answer.size() != 1 || options.allowed.find(choice.answer[0]) == std::string::npos)
      std::abort();
  } else if (!choice.answer.empty()) {
    std::abort();
  }
  if (choice.certainty && (*choice.certainty < 1 || *choice.certainty > 100)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const std::string_view reply = fuzz::as_text(data + 1, size - 1);

  const penguin::JudgeReading reading = penguin::read_judge_reply(reply);
  (void)penguin::reading_json(reading).dump();
  for (const auto& score : {reading.risk_sensitivity, reading.emotional_empathy, reading.personalization})
    if (score && (*score < 1 || *score > 5)) std::abort();  // documented: N in 1..5

  pairwise::ExtractOptions options;
  options.allowed = (flags & 1) ? "ABC" : "AB";
  options.open_bracket_prompt = (flags & 2) != 0;
  options.pick = (flags & 4) ? pairwise::BracketPick::first : pairwise::BracketPick::last;
  options.lenient = (flags & 8) != 0;
  options.want_certainty = (flags & 16) != 0;
  check_choice(pairwise::extract_choice(reply, options), options);

  (void)pairwise::official_answer(reply, (flags & 32) != 0);
  const std::string certainty = pairwise::official_certainty(reply);
  const int bin = pairwise::official_certainty_bin(certainty);
  if (bin < 4 || bin > 9) std::abort();  // documented clamp
  (void)pairwise::official_certainty_bin(reply);
  const int value = pairwise::official_certainty_value(reply);
  (void)pairwise::certainty_band_label(pairwise::certainty_band(value));
  (void)pairwise::certainty_band_label(pairwise::certainty_band(pairwise::official_certainty_value(certainty)));

  const auto rules = personalized_judge::rules_for_prompt(reply);
  const size_t half = reply.size() / 2;
  (void)personalized_judge::choice_from_recorded(std::string(reply.substr(0, half)),
                                                 std::string(reply.substr(half)), rules);
  const pairwise::ShownPair shown = pairwise::show_pair("first", "second", "A", (flags & 64) != 0);
  (void)personalized_judge::score_reply_text(reply, rules, shown, (flags & 128) != 0, json());
  return 0;
}
