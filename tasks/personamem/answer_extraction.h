// The official PERSONAMEM answer reading (extract_answer in inference_standalone_openai.py at
// upstream commit 041d82ac, personamem.md §6), reproduced exactly on UTF-8 text.
#pragma once

#include <string>
#include <string_view>

namespace perseval::personamem {

// Upstream's `correct_answer.lower().strip("() ")` when that is one letter a-d, else "" (a
// gold no answer can ever match).
std::string gold_letter(std::string_view correct_answer);

// Upstream's _extract_only_options as a sorted string of distinct letters ("", "b", "ab"):
// on text.lower(), the letters of every "(x)" with x in a-d; if there is none, every a-d
// that stands alone between Python `\b` word boundaries. `\b` is Unicode-aware as in Python:
// "éa" and "a1" hold no standalone "a", "a\u0301" does (a combining mark is not a word
// character), and "I'd" holds a "d". U+0130 lower-cases to "i" + U+0307, so a letter right
// after it does stand alone.
std::string option_letters(std::string_view text);

// What extract_answer decided for one response.
struct Extraction {
  bool correct = false;
  std::string predicted_answer;  // upstream's predicted_answer: the stripped text after the
                                 // last <final_answer>, without a trailing </final_answer>
  std::string tail_letters;      // option_letters(predicted_answer)
  std::string full_letters;      // option_letters(whole response)
};

// Upstream's rule: correct iff the tail's letter set is exactly {gold}, or, failing that, the
// whole response's letter set is exactly {gold}. Stripping is Python's str.strip().
Extraction extract_answer(std::string_view response, std::string_view correct_answer);

// Letters as the options are written: "ab" → "(a)(b)"; "" stays "".
std::string format_letters(std::string_view letters);

}  // namespace perseval::personamem
