// Python str.strip()/isspace()/float() emulation. Every expected value below was checked
// against CPython 3.11 on the development machine (python3 -c "print(float(...))").
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "metrics/python_text.h"

using perseval::metrics::python_float;
using perseval::metrics::python_isspace;
using perseval::metrics::python_strip;

namespace {
// Shorthand: the parsed value, or a sentinel that no test expects, when Python would raise.
bool rejects(const std::string& text) { return !python_float(text).has_value(); }
double parsed(const std::string& text) {
  const auto value = python_float(text);
  REQUIRE(value.has_value());
  return *value;
}
}  // namespace

TEST_CASE("python_isspace matches str.isspace", "[metrics]") {
  for (char32_t cp : {U'\t', U'\n', U'\v', U'\f', U'\r', U' ', U'\x1c', U'\x1f', U'\x85',
                      U'\u00a0', U'\u1680', U'\u2003', U'\u200a', U'\u2028', U'\u202f',
                      U'\u205f', U'\u3000'}) {
    CHECK(python_isspace(cp));
  }
  for (char32_t cp : {U'a', U'0', U'\x1b', U'\x7f', U'\u200b', U'\u180e', U'\ufeff',
                      U'\u2060', U'\U0001F600'}) {
    CHECK_FALSE(python_isspace(cp));
  }
}

TEST_CASE("python_strip removes Unicode whitespace only", "[metrics]") {
  CHECK(python_strip("  comedy\n") == "comedy");
  CHECK(python_strip("\u00a0comedy\u2003") == "comedy");
  CHECK(python_strip("\u3000[1]\u3000") == "[1]");
  CHECK(python_strip("\x1c\x1d" "a b\x1e\x1f") == "a b");
  CHECK(python_strip("\u200bcomedy\u200b") == "\u200bcomedy\u200b");  // ZWSP is not space
  CHECK(python_strip(" \u200b ") == "\u200b");
  CHECK(python_strip("") == "");
  CHECK(python_strip(" \t\u00a0\u3000 ") == "");
  CHECK(python_strip("inner  space") == "inner  space");
  // Invalid UTF-8 is kept as ordinary content.
  CHECK(python_strip(" \xff ") == "\xff");
}

TEST_CASE("python_float accepts Python's decimal forms", "[metrics]") {
  CHECK(parsed("4") == 4.0);
  CHECK(parsed("4.") == 4.0);
  CHECK(parsed(".5") == 0.5);
  CHECK(parsed("1e0") == 1.0);
  CHECK(parsed("1E-2") == 0.01);
  CHECK(parsed("1e5") == 100000.0);
  CHECK(parsed("+.5e-3") == 0.0005);
  CHECK(parsed("-.5") == -0.5);
  CHECK(parsed("00") == 0.0);
  CHECK(parsed("  -3.5\n") == -3.5);
  CHECK(parsed("\t4\n") == 4.0);
  CHECK(parsed("\v4\f") == 4.0);
  CHECK(parsed("4.5") == 4.5);
  CHECK(parsed("0.1") == 0.1);  // correctly rounded, like CPython
  CHECK(parsed("1e400") == HUGE_VAL);
  CHECK(parsed("1e-400") == 0.0);
}

TEST_CASE("python_float underscores sit strictly between digits", "[metrics]") {
  CHECK(parsed("4_0") == 40.0);
  CHECK(parsed("1_2_3") == 123.0);
  CHECK(parsed("0_1") == 1.0);
  CHECK(parsed("1.5_0") == 1.5);
  CHECK(parsed("1e5_0") == 1e50);
  CHECK(parsed("1.5E+0_1") == 15.0);
  CHECK(parsed("4_0 ") == 40.0);
  for (const char* bad : {"_4", "4_", "4__0", "1_e5", "1e_5", "1e5_", "1_.5", "1._5", "nan_",
                          "4 _0", "_"}) {
    INFO(bad);
    CHECK(rejects(bad));
  }
}

TEST_CASE("python_float maps Unicode digits and whitespace", "[metrics]") {
  CHECK(parsed("\uff14") == 4.0);                   // fullwidth ４
  CHECK(parsed("\uff14_\uff10") == 40.0);           // ４_０
  CHECK(parsed("\u0663") == 3.0);                   // Arabic-Indic ٣
  CHECK(parsed("\u0663.\u0665") == 3.5);            // ٣.٥
  CHECK(parsed("\u0663_\u0663") == 33.0);
  CHECK(parsed("\u0967\u0968") == 12.0);            // Devanagari १२
  CHECK(parsed("\U0001D7D9") == 1.0);               // MATHEMATICAL DOUBLE-STRUCK DIGIT ONE
  CHECK(parsed("\U0001FBF9") == 9.0);               // SEGMENTED DIGIT NINE (last Nd block)
  CHECK(parsed("\u00a04\u00a0") == 4.0);
  CHECK(parsed("\u30004\u3000") == 4.0);
  CHECK(parsed("\xC2\x85" "4\xC2\x85") == 4.0);  // U+0085 NEL
  CHECK(parsed("\u1680 4") == 4.0);
  // Non-digit, non-space code points and malformed UTF-8 make float() fail.
  CHECK(rejects("4\u200b"));
  CHECK(rejects("\u200b" "4"));
  CHECK(rejects("\u00bd"));  // ½ is numeric but not a decimal digit
  CHECK(rejects("\u00b2"));  // superscript two: category No, not Nd
  CHECK(rejects("4\xff"));
  CHECK(rejects("\x85" "4"));  // a lone continuation byte, not NEL
}

TEST_CASE("python_float strips only what CPython strips", "[metrics]") {
  // "\x1c".isspace() is True, yet float("\x1c4") raises: CPython passes ASCII through
  // unchanged and then strips only C whitespace.
  CHECK(rejects("\x1c" "4"));
  CHECK(rejects("4\x1f"));
  CHECK(rejects("4\x7f"));
  CHECK(rejects(std::string("4\0", 2)));
}

TEST_CASE("python_float special values", "[metrics]") {
  CHECK(parsed("inf") == HUGE_VAL);
  CHECK(parsed("iNF") == HUGE_VAL);
  CHECK(parsed("+Infinity") == HUGE_VAL);
  CHECK(parsed("-Infinity") == -HUGE_VAL);
  CHECK(parsed(" -inf ") == -HUGE_VAL);
  CHECK(std::isnan(parsed("nAn")));
  CHECK(std::isnan(parsed("NaN")));
  CHECK(std::isnan(parsed("-nan")));
  CHECK(std::isnan(parsed("+nan")));
  for (const char* bad : {"in f", "infinit", "infinityy", "nana", "nan(1)", "-", "+"}) {
    INFO(bad);
    CHECK(rejects(bad));
  }
}

TEST_CASE("python_float rejects what Python rejects", "[metrics]") {
  for (const char* bad : {"0x4", "4 stars", "four", "", "   ", "1e", "1e+", ".", ".e1", "e1",
                          "- 4", "+-1", "4,5", "1.2.3", "Rating: 4", "4/5", "4.5.", "0b1",
                          "1d5", "\uff14 stars"}) {
    INFO(bad);
    CHECK(rejects(bad));
  }
}
