#include "tasks/pairwise/choice_extraction.h"

#include <algorithm>
#include <vector>

namespace perseval::pairwise {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_choice_letter(char c) { return c == 'A' || c == 'B' || c == 'C'; }
bool is_word_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

size_t skip_spaces(std::string_view s, size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

// A "[[ X ]]" token found at [begin, end).
struct Bracketed {
  size_t begin = 0;
  size_t end = 0;
  std::string inner;
};

// Every "[[ <letter A-C> ]]" in order, or every "[[ <1-3 digits> ]]" with `digits`.
std::vector<Bracketed> find_bracketed(std::string_view s, bool digits, size_t from = 0) {
  std::vector<Bracketed> out;
  for (size_t i = from; i + 1 < s.size(); ++i) {
    if (s[i] != '[' || s[i + 1] != '[') continue;
    size_t j = skip_spaces(s, i + 2);
    std::string inner;
    if (digits) {
      while (j < s.size() && is_digit(s[j]) && inner.size() < 4) inner += s[j++];
      if (inner.empty() || inner.size() > 3) continue;
    } else {
      if (j >= s.size() || !is_choice_letter(s[j])) continue;
      inner = std::string(1, s[j++]);
    }
    j = skip_spaces(s, j);
    if (j + 1 < s.size() && s[j] == ']' && s[j + 1] == ']') out.push_back({i, j + 2, inner});
  }
  return out;
}

// "answer" (any case), optional spaces, ':' (or the full-width '：'), then an optional '(' or
// '[' or '*', then a letter A-C that does not start a longer word. Position after the letter.
std::optional<std::pair<char, size_t>> find_answer_prefix(std::string_view s) {
  static constexpr std::string_view kWord = "answer";
  for (size_t i = 0; i + kWord.size() <= s.size(); ++i) {
    bool match = true;
    for (size_t k = 0; k < kWord.size() && match; ++k)
      match = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i + k]))) == kWord[k];
    if (!match) continue;
    size_t j = skip_spaces(s, i + kWord.size());
    if (j < s.size() && s[j] == ':') ++j;
    else if (s.substr(j, 3) == "\xEF\xBC\x9A") j += 3;
    else continue;
    j = skip_spaces(s, j);
    while (j < s.size() && (s[j] == '(' || s[j] == '[' || s[j] == '*')) ++j;
    if (j < s.size() && is_choice_letter(s[j]) && (j + 1 == s.size() || !is_word_char(s[j + 1])))
      return std::make_pair(s[j], j + 1);
  }
  return std::nullopt;
}

// Distinct letters written as "(A)" (spaces allowed inside), with the end of the first.
struct ParenLetters {
  std::string letters;
  size_t first_end = 0;
};
ParenLetters find_paren_letters(std::string_view s) {
  ParenLetters out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '(') continue;
    size_t j = skip_spaces(s, i + 1);
    if (j >= s.size() || !is_choice_letter(s[j])) continue;
    const char letter = s[j];
    j = skip_spaces(s, j + 1);
    if (j >= s.size() || s[j] != ')') continue;
    if (out.letters.empty()) out.first_end = j + 1;
    if (out.letters.find(letter) == std::string::npos) out.letters += letter;
  }
  return out;
}

// The reply reduced to its core: spaces, quotes, '*' and a final '.' removed around it.
std::string_view bare_core(std::string_view s) {
  auto trim_char = [](char c) { return is_space(c) || c == '"' || c == '\'' || c == '*' || c == '.'; };
  while (!s.empty() && trim_char(s.front())) s.remove_prefix(1);
  while (!s.empty() && trim_char(s.back())) s.remove_suffix(1);
  return s;
}

void read_certainty(std::string_view text, size_t after, Choice& choice) {
  const auto numbers = find_bracketed(text, true, after);
  if (numbers.empty()) {
    choice.certainty_status = "no_certainty";
    return;
  }
  const int value = std::stoi(numbers.front().inner);
  if (value < 1 || value > 100) {
    choice.certainty_status = "certainty_out_of_range";
    return;
  }
  choice.certainty = value;
  choice.certainty_status = "ok";
}

}  // namespace

Choice extract_choice(std::string_view reply, const ExtractOptions& options) {
  const std::string text = options.open_bracket_prompt ? "[[" + std::string(reply) : std::string(reply);
  Choice choice;
  char letter = 0;
  size_t after = 0;
  const auto brackets = find_bracketed(text, false);
  if (!brackets.empty()) {
    const auto& hit = options.pick == BracketPick::first ? brackets.front() : brackets.back();
    letter = hit.inner[0];
    after = hit.end;
    choice.form = "brackets";
  } else if (options.lenient) {
    if (auto prefixed = find_answer_prefix(text)) {
      letter = prefixed->first;
      after = prefixed->second;
      choice.form = "answer_prefix";
    } else if (const auto parens = find_paren_letters(text); !parens.letters.empty()) {
      if (parens.letters.size() > 1) {
        choice.status = "ambiguous";
        if (options.want_certainty) choice.certainty_status = "no_certainty";
        return choice;
      }
      letter = parens.letters[0];
      after = parens.first_end;
      choice.form = "parens";
    } else if (const auto core = bare_core(text); core.size() == 1 && is_choice_letter(core[0])) {
      letter = core[0];
      after = text.size();
      choice.form = "bare";
    }
  }
  if (letter == 0) {
    choice.status = "no_answer";
  } else if (options.allowed.find(letter) == std::string::npos) {
    choice.status = "answer_not_allowed";
  } else {
    choice.status = "ok";
    choice.answer = std::string(1, letter);
  }
  if (options.want_certainty) {
    if (letter == 0) choice.certainty_status = "no_certainty";
    else read_certainty(text, after, choice);
  }
  return choice;
}

std::optional<std::string> official_answer(std::string_view reply, bool remove_paren) {
  std::string s(reply);
  auto remove_all = [&s](std::string_view what) {
    for (size_t pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos))
      s.erase(pos, what.size());
  };
  remove_all("[[");
  remove_all("Answer:");
  if (remove_paren) remove_all("(");
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  if (i == s.size()) return std::nullopt;
  // One code point, as Python's str[0].
  size_t len = 1;
  const auto lead = static_cast<unsigned char>(s[i]);
  if (lead >= 0xF0) len = 4;
  else if (lead >= 0xE0) len = 3;
  else if (lead >= 0xC0) len = 2;
  return s.substr(i, std::min(len, s.size() - i));
}

std::string official_certainty(std::string_view reply) {
  size_t i = 0;
  while (i < reply.size() && !is_digit(reply[i])) ++i;
  if (i == reply.size()) return "NA";
  size_t j = i;
  while (j < reply.size() && is_digit(reply[j])) ++j;
  return std::string(reply.substr(i, j - i));
}

int official_certainty_value(std::string_view certainty) {
  if (certainty.empty()) return 0;
  long long value = 0;
  for (const char c : certainty) {
    if (!is_digit(c)) return 0;
    // Python's int has no limit; anything this large lands in the top bin either way.
    value = std::min(value * 10 + (c - '0'), 1000000000LL);
  }
  return static_cast<int>(value);
}

int official_certainty_bin(std::string_view certainty) {
  return std::clamp(official_certainty_value(certainty) / 10, 4, 9);
}

}  // namespace perseval::pairwise
