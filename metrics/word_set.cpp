#include "metrics/word_set.h"

#include "metrics/python_text.h"
#include "metrics/unicode_text.h"
#include "metrics/utf8.h"

namespace perseval::metrics {

std::set<std::string> ascii_word_set(std::string_view text) {
  // After the deletion only ASCII letters, digits and whitespace remain, so lower() is ASCII
  // and strip() is subsumed by split().
  std::string kept;
  kept.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t begin = pos;
    const char32_t cp = utf8::decode(text, pos);
    const bool ascii_alnum = (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z') ||
                             (cp >= U'0' && cp <= U'9');
    if (ascii_alnum) {
      kept.push_back(cp <= U'Z' && cp >= U'A' ? static_cast<char>(cp + 32) : static_cast<char>(cp));
    } else if (cp != utf8::kInvalidCodePoint && python_isspace(cp)) {
      kept.append(text.substr(begin, pos - begin));
    }
  }
  const auto words = python_split(kept);
  return {words.begin(), words.end()};
}

SetScores set_precision_recall_f1(const std::set<std::string>& gold,
                                  const std::set<std::string>& predicted) {
  long long tp = 0;
  for (const auto& word : predicted) tp += gold.count(word);
  const long long fp = static_cast<long long>(predicted.size()) - tp;
  const long long fn = static_cast<long long>(gold.size()) - tp;
  SetScores s;
  // Python divides ints with true division: one correctly rounded double, as here.
  s.precision = tp + fp > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0.0;
  s.recall = tp + fn > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0.0;
  s.f1 = s.precision + s.recall > 0 ? (2 * s.precision * s.recall) / (s.precision + s.recall) : 0.0;
  return s;
}

}  // namespace perseval::metrics
