#include "tasks/personamem/python_list_literal.h"

#include <cstdint>
#include <utility>

#include "metrics/unicode_text.h"

namespace perseval::personamem {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

class Parser {
 public:
  explicit Parser(std::string_view text) : t_(text) {}

  std::vector<std::string> list() {
    skip_space();
    if (at_end() || t_[pos_] != '[') fail("expected '[' to start the list");
    ++pos_;
    std::vector<std::string> out;
    for (;;) {
      skip_space();
      if (at_end()) fail("expected a string or ']'");
      if (t_[pos_] == ']') break;
      out.push_back(string_literal());
      skip_space();
      if (at_end()) fail("expected ',' or ']' after element " + std::to_string(out.size()));
      if (t_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (t_[pos_] != ']') fail("expected ',' or ']' after element " + std::to_string(out.size()));
      break;
    }
    ++pos_;  // the ']'
    skip_space();
    if (!at_end()) fail("unexpected text after the closing ']'");
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw LiteralError(what + " at character " + std::to_string(pos_ + 1), pos_);
  }
  bool at_end() const { return pos_ >= t_.size(); }
  void skip_space() {
    while (!at_end() && is_space(t_[pos_])) ++pos_;
  }

  // True when the quote at pos_ ends the element: it is followed (after optional whitespace)
  // by ',' or ']', by the end of the text, or by another quote, which most likely opens the
  // next element after a forgotten comma and is then reported as such by the caller.
  bool closes_here() const {
    size_t p = pos_ + 1;
    while (p < t_.size() && is_space(t_[p])) ++p;
    return p >= t_.size() || t_[p] == ',' || t_[p] == ']' || t_[p] == '\'' || t_[p] == '"';
  }

  std::string string_literal() {
    const char quote = t_[pos_];
    if (quote != '\'' && quote != '"') fail("expected a quoted string");
    const size_t open = pos_++;
    std::string out;
    for (;;) {
      if (at_end()) {
        pos_ = open;
        fail("string is not terminated");
      }
      const char c = t_[pos_];
      if (c == quote && closes_here()) {
        ++pos_;
        return out;
      }
      if (c == '\\') {
        escape(out);
        continue;
      }
      out += c;
      ++pos_;
    }
  }

  // Reads exactly `digits` hex digits after the escape letter at pos_.
  uint32_t hex_digits(int digits, const char* escape_name) {
    uint32_t value = 0;
    for (int i = 1; i <= digits; ++i) {
      const int v = pos_ + i < t_.size() ? hex_value(t_[pos_ + i]) : -1;
      if (v < 0)
        fail(std::string("truncated \\") + escape_name + " escape (needs " +
             std::to_string(digits) + " hex digits)");
      value = value * 16 + static_cast<uint32_t>(v);
    }
    pos_ += static_cast<size_t>(digits) + 1;
    return value;
  }

  void escape(std::string& out) {
    ++pos_;  // the backslash
    if (at_end()) fail("string is not terminated");
    const char e = t_[pos_];
    // Python's one-character escapes.
    static constexpr std::pair<char, char> kSimple[] = {
        {'\\', '\\'}, {'\'', '\''}, {'"', '"'},  {'a', '\a'}, {'b', '\b'},
        {'f', '\f'},   {'n', '\n'},   {'r', '\r'}, {'t', '\t'}, {'v', '\v'}};
    for (const auto& [letter, value] : kSimple) {
      if (e == letter) {
        out += value;
        ++pos_;
        return;
      }
    }
    switch (e) {
      case '\n': ++pos_; return;  // line continuation
      case 'x': metrics::append_utf8(out, hex_digits(2, "x")); return;
      case 'u': unicode_escape(out); return;
      case 'U': {
        const uint32_t cp = hex_digits(8, "U");
        if (cp > 0x10FFFF) fail("\\U escape beyond U+10FFFF");
        metrics::append_utf8(out, (cp >= 0xD800 && cp <= 0xDFFF) ? 0xFFFD : cp);
        return;
      }
      case 'N': fail("named \\N{...} escapes are not supported");
      default: break;
    }
    if (e >= '0' && e <= '7') {
      uint32_t value = 0;
      for (int i = 0; i < 3 && !at_end() && t_[pos_] >= '0' && t_[pos_] <= '7'; ++i)
        value = value * 8 + static_cast<uint32_t>(t_[pos_++] - '0');
      metrics::append_utf8(out, value);
      return;
    }
    out += '\\';  // Python keeps unknown escapes verbatim; the character follows normally
  }

  void unicode_escape(std::string& out) {
    const uint32_t cp = hex_digits(4, "u");
    if (cp >= 0xD800 && cp <= 0xDBFF && pos_ + 1 < t_.size() && t_[pos_] == '\\' &&
        t_[pos_ + 1] == 'u') {
      const size_t save = pos_;
      ++pos_;
      const uint32_t low = hex_digits(4, "u");
      if (low >= 0xDC00 && low <= 0xDFFF) {
        metrics::append_utf8(out, 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00));
        return;
      }
      pos_ = save;  // not a pair: read the second escape on its own
    }
    metrics::append_utf8(out, (cp >= 0xD800 && cp <= 0xDFFF) ? 0xFFFD : cp);
  }

  std::string_view t_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<std::string> parse_python_string_list(std::string_view literal) {
  return Parser(literal).list();
}

}  // namespace perseval::personamem
