// Python 3 word semantics on UTF-8 (metrics/unicode_text.h). Expected values were produced
// with CPython 3.11 (str.lower(), str.split(), re.findall(r"\w+"), re.search(r"\b")).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "metrics/unicode_text.h"

using perseval::metrics::python_is_decimal;
using perseval::metrics::python_is_word_char;
using perseval::metrics::python_isprintable;
using perseval::metrics::python_lower;
using perseval::metrics::python_split;
using perseval::metrics::python_word_boundary;
using perseval::metrics::python_word_runs;
using Words = std::vector<std::string>;

TEST_CASE("unicode: Latin with accents, precomposed and combining", "[unicode][personabench]") {
  CHECK(python_lower("Café Noël") == "café noël");
  CHECK(python_word_runs("Café Noël") == Words{"Café", "Noël"});
  CHECK(python_word_runs("naïve—résumé") == Words{"naïve", "résumé"});  // em dash is no \w
  CHECK(python_split("naïve—résumé") == Words{"naïve—résumé"});
  // "cafe" + U+0301 COMBINING ACUTE: marks are not \w in Python, so the run stops at 'e'.
  const std::string decomposed = "cafe\xCC\x81 ok";
  CHECK(python_word_runs(decomposed) == Words{"cafe", "ok"});
  CHECK(python_split(decomposed) == Words{"cafe\xCC\x81", "ok"});
  CHECK(python_word_boundary(decomposed, 4));       // between 'e' and the mark
  CHECK_FALSE(python_word_boundary("Café", 3));     // 'f' then 'é': both word characters
  CHECK(python_word_boundary("Café", 0));
  CHECK(python_word_boundary("Café", 5));           // end of text, after 'é' (2 bytes)
  CHECK(python_lower("ǅemal ẞ") == "ǆemal ß");      // titlecase digraph, capital sharp s
}

TEST_CASE("unicode: Cyrillic", "[unicode][personabench]") {
  const std::string text = "Привет, мир! Ёлка";
  CHECK(python_lower(text) == "привет, мир! ёлка");
  CHECK(python_split(text) == Words{"Привет,", "мир!", "Ёлка"});
  CHECK(python_word_runs(text) == Words{"Привет", "мир", "Ёлка"});
  CHECK(python_word_boundary(text, 12));   // after "Привет" (6 × 2 bytes), before ','
  CHECK_FALSE(python_word_boundary(text, 2));
}

TEST_CASE("unicode: CJK has no spaces, so it is one word", "[unicode][personabench]") {
  const std::string text = "東京タワーに行った";
  CHECK(python_lower(text) == text);
  CHECK(python_split(text) == Words{text});
  CHECK(python_word_runs(text) == Words{text});
  CHECK_FALSE(python_word_boundary(text, 3));
  CHECK(python_word_runs("x_y ２３ ²") == Words{"x_y", "２３", "²"});  // fullwidth digits, superscript
  CHECK(python_is_decimal(U'３'));
  CHECK_FALSE(python_is_decimal(U'²'));
  CHECK(python_is_word_char(U'²'));
}

TEST_CASE("unicode: Arabic letters and Arabic-Indic digits", "[unicode][personabench]") {
  const std::string text = "مرحبا بالعالم ٣٤";
  CHECK(python_split(text) == Words{"مرحبا", "بالعالم", "٣٤"});
  CHECK(python_word_runs(text) == Words{"مرحبا", "بالعالم", "٣٤"});
  CHECK(python_is_decimal(U'٣'));
  CHECK(python_lower(text) == text);  // uncased script
}

TEST_CASE("unicode: no-break and other Unicode spaces separate words, ZWSP does not", "[unicode][personabench]") {
  const std::string text = "a\u00a0b\u3000c\u2003d";
  CHECK(python_split(text) == Words{"a", "b", "c", "d"});
  CHECK(python_word_runs(text) == Words{"a", "b", "c", "d"});
  CHECK(python_split("a\u200bb") == Words{"a\u200bb"});
  CHECK(python_word_runs("a\u200bb") == Words{"a", "b"});
  CHECK(python_split("\x1c" "A\x1f" "B") == Words{"A", "B"});  // \x1c..\x1f are str.isspace()
  CHECK(python_split("  ") == Words{});
  CHECK_FALSE(python_isprintable(0xA0));
  CHECK_FALSE(python_isprintable(0x200B));
  CHECK(python_isprintable(U' '));
}

TEST_CASE("unicode: emoji are neither word characters nor spaces", "[unicode][personabench]") {
  const std::string text = "🎉party🎉 😀";
  CHECK(python_split(text) == Words{"🎉party🎉", "😀"});
  CHECK(python_word_runs(text) == Words{"party"});
  CHECK(python_word_boundary(text, 4));   // after the 4-byte emoji, before 'p'
  CHECK_FALSE(python_word_boundary(text, 0));
  CHECK(python_isprintable(0x1F389));
}

TEST_CASE("unicode: lower() special cases: final sigma and dotted capital I", "[unicode][personabench]") {
  CHECK(python_lower("ΟΔΟΣ ΣΑΣ Σ") == "οδος σας σ");
  CHECK(python_lower("ΑΣ.") == "ας.");      // '.' is case-ignorable and not cased: still final
  CHECK(python_lower("Σ'Α") == "σ'α");      // a cased letter follows after the apostrophe
  CHECK(python_lower("İstanbul") == "i\xCC\x87stanbul");
  CHECK(python_lower("HELLO World") == "hello world");
}

TEST_CASE("unicode: invalid UTF-8 bytes are kept and are not words", "[unicode][personabench]") {
  const std::string text = "ab\xFF" "cd";
  CHECK(python_lower("AB\xFF" "CD") == text);
  CHECK(python_word_runs(text) == Words{"ab", "cd"});
  CHECK(python_split(text) == Words{text});
  CHECK(python_word_boundary(text, 2));
  CHECK_FALSE(python_word_boundary("", 0));  // Python: \b never matches in an empty string
}
