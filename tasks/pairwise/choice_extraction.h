// Reading an A/B(/C) choice and a verbal certainty out of a model's reply, for every
// pairwise task (PersonaFeedback, the Personalized-Judge meta-evaluation). Replies are
// untrusted text: the scanners are hand-written (no std::regex, whose recursion can overflow
// on long replies), never throw and never read past the end.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace perseval::pairwise {

// Which bracketed answer wins when a reply has several: the first (a prompt that ends with an
// open "[[" expects the answer at once) or the last (a model may restate the format first).
enum class BracketPick { first, last };

struct ExtractOptions {
  std::string allowed = "AB";        // valid answers; "ABC" when a tie is allowed
  bool open_bracket_prompt = false;  // the prompt ends with "[[": the reply is read as "[[" + reply
  BracketPick pick = BracketPick::last;
  // Besides "[[A]]" also accept, in this order: "Answer: A", "(A)" (only when a single
  // letter appears in parentheses) and a reply that is just "A" (quotes, '*', '.' ignored).
  bool lenient = true;
  bool want_certainty = false;  // read "[[N]]" (1..100) after the answer
};

// What was read. `status`: "ok", "no_answer", "answer_not_allowed" (e.g. "[[C]]" without tie
// mode) or "ambiguous" ("(A)" and "(B)" both present, nothing else). `certainty_status` (only
// with want_certainty): "ok", "no_certainty" or "certainty_out_of_range".
struct Choice {
  std::string answer;  // "A", "B" or "C" when status == "ok"; "" otherwise
  std::string status;
  std::string form;    // how it was found: "brackets", "answer_prefix", "parens", "bare"
  std::optional<int> certainty;  // 1..100 when certainty_status == "ok"
  std::string certainty_status;
};

// Extracts the choice (and certainty) from `reply` under `options`. Pure, never throws.
// The certainty is the first "[[N]]" (1–3 digits, spaces allowed) after the answer; a
// "[[1000]]" is not a certainty, "[[0]]" and "[[150]]" are out of range.
Choice extract_choice(std::string_view reply, const ExtractOptions& options);

// The upstream Personalized-Judge answer rule (prism.py / ec.py): remove every "[[" and every
// "Answer:", strip whitespace, take the first character (OpinionQA also removes "(", see
// `remove_paren`). Empty when nothing is left (upstream raises IndexError there). Kept only
// for comparison with recorded outputs; it turns "Based on…" into "B".
std::optional<std::string> official_answer(std::string_view reply, bool remove_paren = false);

// The upstream certainty rule (utils.extract_number): the first run of digits anywhere in the
// reply, as text ("23" from "a 23-year-old"); "NA" when there is none. ASCII digits only
// (Python's \d also takes other scripts' digits; no recorded output contains any).
std::string official_certainty(std::string_view reply);

// The notebook's certainty bin: int(certainty) with "NA" (or anything non-numeric) → 0, then
// // 10, clamped to [4, 9]. So < 40 and NA → 4, 100 → 9.
int official_certainty_bin(std::string_view certainty);

// int(certainty) as the notebook reads it: "NA" or non-numeric → 0.
int official_certainty_value(std::string_view certainty);

}  // namespace perseval::pairwise
