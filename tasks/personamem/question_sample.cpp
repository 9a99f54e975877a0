#include "tasks/personamem/question_sample.h"

#include <climits>

#include "harness/core/errors.h"
#include "tasks/personamem/answer_extraction.h"
#include "tasks/personamem/line_error.h"
#include "tasks/personamem/python_list_literal.h"

namespace perseval::personamem {

namespace {

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Splits "(a) text" into its text when the label is the expected one.
bool strip_label(std::string& text, char letter) {
  if (text.size() < 3 || text[0] != '(' || text[1] != letter || text[2] != ')') return false;
  text.erase(0, text.size() > 3 && text[3] == ' ' ? 4 : 3);
  return true;
}

}  // namespace

std::optional<long long> parse_python_int(std::string_view text) {
  size_t b = 0, e = text.size();
  while (b < e && is_ascii_space(text[b])) ++b;
  while (e > b && is_ascii_space(text[e - 1])) --e;
  text = text.substr(b, e - b);
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  long long value = 0;
  bool last_digit = false;
  for (char c : text) {
    if (c == '_') {
      if (!last_digit) return std::nullopt;
      last_digit = false;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (value > (LLONG_MAX - (c - '0')) / 10) return std::nullopt;
    value = value * 10 + (c - '0');
    last_digit = true;
  }
  if (!last_digit) return std::nullopt;  // a trailing underscore
  return negative ? -value : value;
}

std::string context_tokens_bucket(std::string_view tokens_cell) {
  const auto tokens = parse_python_int(tokens_cell);
  if (!tokens || *tokens < 0) return "unknown";
  // Powers of two from 8k, as the splits are named (k = 1000); the last edge is 1M.
  static const struct {
    long long below;
    const char* label;
  } kBuckets[] = {{8000, "<8k"},         {16000, "8k-16k"},    {32000, "16k-32k"},
                  {64000, "32k-64k"},    {128000, "64k-128k"}, {256000, "128k-256k"},
                  {512000, "256k-512k"}, {1000000, "512k-1M"}};
  for (const auto& b : kBuckets)
    if (*tokens < b.below) return b.label;
  return ">=1M";
}

RowFacts check_row(const QuestionRow& row, const std::string& file) {
  RowFacts f;
  f.question_id = row.get("question_id");
  auto fail = [&](const std::string& field, const std::string& problem) {
    throw InputError(line_error(file, row.line, f.question_id, field, problem));
  };
  if (f.question_id.empty()) fail("question_id", "empty");
  if (row.get("shared_context_id").empty()) fail("shared_context_id", "empty");

  const std::string end_cell = row.get("end_index_in_shared_context");
  const auto end = parse_python_int(end_cell);
  if (!end) fail("end_index_in_shared_context", "expected an integer, found \"" + end_cell + "\"");
  f.end_index = *end;

  const std::string correct = row.get("correct_answer");
  f.gold = gold_letter(correct);
  if (f.gold.empty())
    fail("correct_answer", "expected (a), (b), (c) or (d), found \"" + correct + "\"");

  try {
    f.option_texts = parse_python_string_list(row.get("all_options"));
  } catch (const LiteralError& e) {
    fail("all_options", std::string("not a list of strings: ") + e.what());
  }
  if (f.option_texts.empty()) fail("all_options", "the list is empty");
  f.four_options = f.option_texts.size() == 4;
  for (size_t i = 0; i < f.option_texts.size(); ++i) {
    const char letter = static_cast<char>('a' + (i < 26 ? i : 25));
    if (!strip_label(f.option_texts[i], letter)) f.options_labelled = false;
  }
  return f;
}

Sample make_sample(const QuestionRow& row, const RowFacts& facts, const std::string& size,
                   TypeMap map, nlohmann::json history) {
  Sample s;
  s.id = facts.question_id;
  s.user_id = row.get("persona_id");
  const std::string raw_type = row.get("question_type");
  s.slices["size"] = size;
  s.slices["type"] = canonical_type(size, raw_type, map).value_or(raw_type);
  s.slices["raw_type"] = raw_type;
  s.slices["topic"] = row.get("topic");
  s.slices["distance_sessions"] = row.get("distance_to_ref_in_blocks");
  s.slices["context_tokens"] = context_tokens_bucket(row.get("context_length_in_tokens"));
  s.slices["persona"] = s.user_id;
  if (row.columns.contains(kStereotypical)) s.slices[kStereotypical] = row.get(kStereotypical);
  s.input = nlohmann::json::object();
  s.input["row"] = row.columns;
  s.input["options"] = facts.option_texts;
  s.input["context"] = std::move(history);
  s.target = {{"correct_answer", row.get("correct_answer")}, {"letter", facts.gold}};
  return s;
}

}  // namespace perseval::personamem
