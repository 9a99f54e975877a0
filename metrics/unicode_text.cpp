#include "metrics/unicode_text.h"

#include <utf8proc.h>

#include "metrics/python_text.h"
#include "metrics/utf8.h"

namespace perseval::metrics {
namespace {

using utf8::kInvalidCodePoint;

utf8proc_category_t category(char32_t cp) {
  if (cp == kInvalidCodePoint || cp > 0x10FFFF) return UTF8PROC_CATEGORY_CN;
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}

// One decoded code point and where it sits in the UTF-8 text.
struct CodePoint {
  char32_t cp;
  std::size_t begin;
  std::size_t end;
};

std::vector<CodePoint> decode_all(std::string_view text) {
  std::vector<CodePoint> out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t begin = pos;
    const char32_t cp = utf8::decode(text, pos);
    out.push_back({cp, begin, pos});
  }
  return out;
}

// DerivedCoreProperties "Case_Ignorable": Mn, Me, Cf, Lm, Sk plus the Word_Break classes
// MidLetter, MidNumLet and Single_Quote. The explicit list was checked against CPython 3.11
// by probing the final-sigma rule with every code point.
bool is_case_ignorable(char32_t cp) {
  switch (category(cp)) {
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_SK:
      return true;
    default:
      break;
  }
  switch (cp) {
    case 0x27: case 0x2E: case 0x3A: case 0xB7: case 0x387: case 0x55F: case 0x5F4:
    case 0x2018: case 0x2019: case 0x2024: case 0x2027: case 0xFE13: case 0xFE52:
    case 0xFE55: case 0xFF07: case 0xFF0E: case 0xFF1A:
      return true;
    default:
      return false;
  }
}

// DerivedCoreProperties "Cased": Lu, Ll, Lt plus Other_Lowercase/Other_Uppercase. Outside
// Lm (always case-ignorable, so never consulted here) those are the two ordinal indicators,
// the squared/negative-circled Latin capitals, and characters with a case mapping (Roman
// numerals, circled letters).
bool is_cased(char32_t cp) {
  switch (category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
      return true;
    default:
      break;
  }
  if (cp == 0xAA || cp == 0xBA) return true;
  if ((cp >= 0x1F130 && cp <= 0x1F149) || (cp >= 0x1F150 && cp <= 0x1F169) ||
      (cp >= 0x1F170 && cp <= 0x1F189))
    return true;
  if (cp == kInvalidCodePoint) return false;
  const auto c = static_cast<utf8proc_int32_t>(cp);
  return utf8proc_tolower(c) != c || utf8proc_toupper(c) != c;
}

// CPython's handle_capital_sigma: Σ is final when a cased letter precedes it (skipping
// case-ignorables) and none follows it (skipping case-ignorables).
bool is_final_sigma(const std::vector<CodePoint>& cps, std::size_t i) {
  std::size_t j = i;
  while (j > 0 && is_case_ignorable(cps[j - 1].cp)) --j;
  if (j == 0 || !is_cased(cps[j - 1].cp)) return false;
  std::size_t k = i + 1;
  while (k < cps.size() && is_case_ignorable(cps[k].cp)) ++k;
  return k == cps.size() || !is_cased(cps[k].cp);
}

// The code point that ends at byte `pos`, or kInvalidCodePoint when the bytes before `pos`
// do not end with a well-formed sequence (then they are single invalid bytes).
char32_t code_point_before(std::string_view text, std::size_t pos) {
  for (std::size_t len = 1; len <= 4 && len <= pos; ++len) {
    std::size_t start = pos - len;
    const auto lead = static_cast<unsigned char>(text[start]);
    if ((lead & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    std::size_t cursor = start;
    const char32_t cp = utf8::decode(text, cursor);
    return cursor == pos ? cp : kInvalidCodePoint;
  }
  return kInvalidCodePoint;
}

}  // namespace

bool python_is_word_char(char32_t cp) {
  if (cp == U'_') return true;
  switch (category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

bool python_is_decimal(char32_t cp) { return category(cp) == UTF8PROC_CATEGORY_ND; }

bool python_isprintable(char32_t cp) {
  if (cp == U' ') return true;
  switch (category(cp)) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_ZS:
      return false;
    default:
      return true;
  }
}

bool python_word_boundary(std::string_view text, std::size_t pos) {
  if (text.empty() || pos > text.size()) return false;
  bool after = false;
  if (pos < text.size()) {
    std::size_t cursor = pos;
    after = python_is_word_char(utf8::decode(text, cursor));
  }
  const bool before = pos > 0 && python_is_word_char(code_point_before(text, pos));
  return before != after;
}

std::string python_lower(std::string_view text) {
  const auto cps = decode_all(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < cps.size(); ++i) {
    const char32_t cp = cps[i].cp;
    if (cp == kInvalidCodePoint) {
      out.append(text.substr(cps[i].begin, cps[i].end - cps[i].begin));
    } else if (cp < 0x80) {
      out.push_back(cp >= 'A' && cp <= 'Z' ? static_cast<char>(cp + 32) : static_cast<char>(cp));
    } else if (cp == 0x130) {
      append_utf8(out, U'i');  // SpecialCasing.txt's one unconditional lower-case expansion
      append_utf8(out, 0x307);
    } else if (cp == 0x3A3) {
      append_utf8(out, is_final_sigma(cps, i) ? 0x3C2 : 0x3C3);
    } else {
      append_utf8(out, static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))));
    }
  }
  return out;
}

std::vector<std::string> python_split(std::string_view text) {
  std::vector<std::string> words;
  std::size_t start = std::string_view::npos;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t begin = pos;
    const char32_t cp = utf8::decode(text, pos);
    const bool space = cp != kInvalidCodePoint && python_isspace(cp);
    if (space && start != std::string_view::npos) {
      words.emplace_back(text.substr(start, begin - start));
      start = std::string_view::npos;
    } else if (!space && start == std::string_view::npos) {
      start = begin;
    }
  }
  if (start != std::string_view::npos) words.emplace_back(text.substr(start));
  return words;
}

std::vector<std::string> python_word_runs(std::string_view text) {
  std::vector<std::string> words;
  std::size_t start = std::string_view::npos;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t begin = pos;
    const bool word = python_is_word_char(utf8::decode(text, pos));
    if (!word && start != std::string_view::npos) {
      words.emplace_back(text.substr(start, begin - start));
      start = std::string_view::npos;
    } else if (word && start == std::string_view::npos) {
      start = begin;
    }
  }
  if (start != std::string_view::npos) words.emplace_back(text.substr(start));
  return words;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace perseval::metrics
