// Python string semantics for the official scorers. The code point tables below were
// generated once with CPython 3.11 (Unicode 14.0) and are the only Unicode data needed.
#include "metrics/python_text.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <locale.h>

#include "metrics/utf8.h"

namespace perseval::metrics {
namespace {

// [c for c in range(0x110000) if chr(c).isspace()]
constexpr std::array<char32_t, 29> kPythonSpaces = {
    0x9,    0xA,    0xB,    0xC,    0xD,    0x1C,   0x1D,   0x1E,   0x1F,   0x20,
    0x85,   0xA0,   0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
    0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};

// The digit zero of every non-ASCII block of category Nd:
// [c for c in range(0x80, 0x110000) if unicodedata.category(chr(c)) == 'Nd'
//  and unicodedata.decimal(chr(c)) == 0]
// Each block was checked to be the ten digits zero..nine at consecutive code points, the
// blocks cover all of Nd, and no character outside Nd has a decimal value, so "cp is zero+k
// for some zero here, k < 10" is exactly CPython's Py_UNICODE_TODECIMAL(cp) >= 0.
constexpr std::array<char32_t, 65> kDigitZeros = {
    0x660,   0x6F0,   0x7C0,   0x966,   0x9E6,   0xA66,   0xAE6,   0xB66,   0xBE6,
    0xC66,   0xCE6,   0xD66,   0xDE6,   0xE50,   0xED0,   0xF20,   0x1040,  0x1090,
    0x17E0,  0x1810,  0x1946,  0x19D0,  0x1A80,  0x1A90,  0x1B50,  0x1BB0,  0x1C40,
    0x1C50,  0xA620,  0xA8D0,  0xA900,  0xA9D0,  0xA9F0,  0xAA50,  0xABF0,  0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60,
    0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0,
    0x1E950, 0x1FBF0};

// The decimal value of a non-ASCII digit, or -1.
int unicode_decimal(char32_t cp) {
  const auto after = std::upper_bound(kDigitZeros.begin(), kDigitZeros.end(), cp);
  if (after == kDigitZeros.begin()) return -1;
  const char32_t offset = cp - *(after - 1);
  return offset < 10 ? static_cast<int>(offset) : -1;
}

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// CPython's float_from_string_inner strips only these (Py_ISSPACE), after non-ASCII
// whitespace has already become ' '. That is why float("\x1c4") fails although
// "\x1c".isspace() is true: \x1c..\x1f are ASCII and pass through unchanged.
bool is_c_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Step 1 of CPython's float(str): every code point below 127 is kept, other whitespace
// becomes ' ', other decimal digits become their ASCII digit, anything else is an error.
std::optional<std::string> to_ascii_form(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const char32_t cp = utf8::decode(text, pos);
    if (cp < 0x7F) {
      out.push_back(static_cast<char>(cp));
    } else if (cp != utf8::kInvalidCodePoint && python_isspace(cp)) {
      out.push_back(' ');
    } else if (const int digit = cp == utf8::kInvalidCodePoint ? -1 : unicode_decimal(cp);
               digit >= 0) {
      out.push_back(static_cast<char>('0' + digit));
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// Step 2: an underscore must sit between two ASCII digits; the underscores are dropped.
std::optional<std::string> remove_underscores(const std::string& text) {
  if (text.find('_') == std::string::npos) return text;
  std::string out;
  out.reserve(text.size());
  char prev = '\0';
  for (const char c : text) {
    if (c == '_') {
      if (!is_ascii_digit(prev)) return std::nullopt;
    } else {
      if (prev == '_' && !is_ascii_digit(c)) return std::nullopt;
      out.push_back(c);
    }
    prev = c;
  }
  if (prev == '_') return std::nullopt;
  return out;
}

bool equals_ignoring_ascii_case(std::string_view text, std::string_view lower_word) {
  if (text.size() != lower_word.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_word[i]) return false;
  }
  return true;
}

std::size_t count_digits(std::string_view text, std::size_t pos) {
  std::size_t n = 0;
  while (pos + n < text.size() && is_ascii_digit(text[pos + n])) ++n;
  return n;
}

// True when `text` is exactly a finite decimal literal Python accepts:
// [sign] (digits [. [digits]] | . digits) [(e|E) [sign] digits].
bool is_decimal_literal(std::string_view text) {
  std::size_t pos = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
  const std::size_t int_digits = count_digits(text, pos);
  pos += int_digits;
  std::size_t frac_digits = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    frac_digits = count_digits(text, pos);
    pos += frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
    const std::size_t exp_digits = count_digits(text, pos);
    if (exp_digits == 0) return false;
    pos += exp_digits;
  }
  return pos == text.size();
}

// strtod in the "C" locale: the grammar is already validated, and a process-wide
// setlocale() with a ',' decimal separator must not change how "4.5" reads.
double c_locale_strtod(const std::string& literal) {
  static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
  return strtod_l(literal.c_str(), nullptr, c_locale);
}

}  // namespace

bool python_isspace(char32_t cp) {
  // ASCII first (most text): the table's first ten entries, without the search.
  if (cp < 0x80) return (cp >= 0x9 && cp <= 0xD) || (cp >= 0x1C && cp <= 0x20);
  return std::binary_search(kPythonSpaces.begin(), kPythonSpaces.end(), cp);
}

std::string python_strip(std::string_view text) {
  std::size_t begin = text.size();
  std::size_t end = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t start = pos;
    const char32_t cp = utf8::decode(text, pos);
    if (cp != utf8::kInvalidCodePoint && python_isspace(cp)) continue;
    begin = std::min(begin, start);
    end = pos;
  }
  return begin < end ? std::string(text.substr(begin, end - begin)) : std::string();
}

std::optional<double> python_float(std::string_view text) {
  const std::optional<std::string> ascii = to_ascii_form(text);
  if (!ascii) return std::nullopt;
  const std::optional<std::string> joined = remove_underscores(*ascii);
  if (!joined) return std::nullopt;

  std::string_view body(*joined);
  while (!body.empty() && is_c_space(body.front())) body.remove_prefix(1);
  while (!body.empty() && is_c_space(body.back())) body.remove_suffix(1);

  bool negative = false;
  std::string_view unsigned_part = body;
  if (!unsigned_part.empty() && (unsigned_part[0] == '+' || unsigned_part[0] == '-')) {
    negative = unsigned_part[0] == '-';
    unsigned_part.remove_prefix(1);
  }
  if (equals_ignoring_ascii_case(unsigned_part, "inf") ||
      equals_ignoring_ascii_case(unsigned_part, "infinity")) {
    const double inf = std::numeric_limits<double>::infinity();
    return negative ? -inf : inf;
  }
  if (equals_ignoring_ascii_case(unsigned_part, "nan")) {
    return std::copysign(std::numeric_limits<double>::quiet_NaN(), negative ? -1.0 : 1.0);
  }
  if (!is_decimal_literal(body)) return std::nullopt;
  // Overflow gives ±inf and underflow ±0 or a subnormal, as in CPython; errno is ignored.
  return c_locale_strtod(std::string(body));
}

}  // namespace perseval::metrics
