#include "adapters/exec/command_line.h"

#include <stdexcept>

namespace perseval {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Inside double quotes POSIX sh only lets a backslash escape these; elsewhere it stays.
bool escapable_in_double_quotes(char c) { return c == '"' || c == '\\' || c == '$' || c == '`'; }

}  // namespace

std::vector<std::string> split_command_line(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // separate from word.empty(): `''` is a real, empty word
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (is_blank(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      const size_t close = text.find('\'', i + 1);
      if (close == std::string::npos)
        throw std::invalid_argument("unterminated single quote in command '" + text + "'");
      word.append(text, i + 1, close - i - 1);
      i = close;
    } else if (c == '"') {
      size_t j = i + 1;
      for (; j < n && text[j] != '"'; ++j) {
        if (text[j] == '\\' && j + 1 < n && escapable_in_double_quotes(text[j + 1])) ++j;
        word += text[j];
      }
      if (j >= n) throw std::invalid_argument("unterminated double quote in command '" + text + "'");
      i = j;
    } else if (c == '\\' && i + 1 < n) {
      word += text[++i];
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) throw std::invalid_argument("empty command");
  return words;
}

}  // namespace perseval
