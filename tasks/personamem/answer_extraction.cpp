#include "tasks/personamem/answer_extraction.h"

#include "metrics/python_text.h"
#include "metrics/unicode_text.h"

namespace perseval::personamem {

namespace {

constexpr std::string_view kOpenTag = "<final_answer>";
constexpr std::string_view kCloseTag = "</final_answer>";

// The lower-case option letter of `c`, or 0. Only ASCII A-D lower-case to a-d in Python.
char option_letter(char32_t c) {
  if (c >= 'a' && c <= 'd') return static_cast<char>(c);
  if (c >= 'A' && c <= 'D') return static_cast<char>(c - 'A' + 'a');
  return 0;
}

std::string sorted_letters(const bool (&seen)[4]) {
  std::string out;
  for (int i = 0; i < 4; ++i)
    if (seen[i]) out += static_cast<char>('a' + i);
  return out;
}

}  // namespace

std::string gold_letter(std::string_view correct_answer) {
  // Lower-casing never produces '(', ')' or ' ', and only A-D produce a-d, so stripping the
  // raw bytes and lower-casing the single remaining letter is the same as Python's order.
  size_t begin = 0;
  size_t end = correct_answer.size();
  auto strippable = [](char c) { return c == '(' || c == ')' || c == ' '; };
  while (begin < end && strippable(correct_answer[begin])) ++begin;
  while (end > begin && strippable(correct_answer[end - 1])) --end;
  if (end - begin != 1) return "";
  const char letter = option_letter(static_cast<unsigned char>(correct_answer[begin]));
  return letter ? std::string(1, letter) : "";
}

std::string option_letters(std::string_view text) {
  // Upstream matches on text.lower(); only ASCII A-D lower-case to a-d, but lower() also
  // changes where Python's \b falls (U+0130 becomes "i" + a combining mark), so the
  // boundaries are taken on the lowered text as upstream does.
  const std::string lowered = metrics::python_lower(text);
  bool seen[4] = {false, false, false, false};
  bool any = false;
  // \(([a-d])\): three ASCII characters, so a byte scan finds every match.
  for (size_t i = 0; i + 2 < lowered.size(); ++i) {
    if (lowered[i] != '(' || lowered[i + 2] != ')') continue;
    if (const char letter = option_letter(static_cast<unsigned char>(lowered[i + 1]))) {
      seen[letter - 'a'] = any = true;
    }
  }
  if (any) return sorted_letters(seen);
  // \b([a-d])\b: an ASCII letter is one code point, so both boundaries sit next to it.
  for (size_t i = 0; i < lowered.size(); ++i) {
    const char letter = option_letter(static_cast<unsigned char>(lowered[i]));
    if (letter && metrics::python_word_boundary(lowered, i) &&
        metrics::python_word_boundary(lowered, i + 1))
      seen[letter - 'a'] = true;
  }
  return sorted_letters(seen);
}

Extraction extract_answer(std::string_view response, std::string_view correct_answer) {
  Extraction e;
  std::string predicted = metrics::python_strip(response);
  if (const size_t last = predicted.rfind(kOpenTag); last != std::string::npos)
    predicted = metrics::python_strip(std::string_view(predicted).substr(last + kOpenTag.size()));
  if (predicted.size() >= kCloseTag.size() &&
      predicted.compare(predicted.size() - kCloseTag.size(), kCloseTag.size(), kCloseTag) == 0)
    predicted = metrics::python_strip(
        std::string_view(predicted).substr(0, predicted.size() - kCloseTag.size()));
  e.predicted_answer = std::move(predicted);
  e.tail_letters = option_letters(e.predicted_answer);
  e.full_letters = option_letters(response);
  const std::string gold = gold_letter(correct_answer);
  e.correct = !gold.empty() && (e.tail_letters == gold || e.full_letters == gold);
  return e;
}

std::string format_letters(std::string_view letters) {
  std::string out;
  for (char c : letters) out += std::string("(") + c + ")";
  return out;
}

}  // namespace perseval::personamem
