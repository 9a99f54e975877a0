// Word-set P/R/F1 with PersonaBench's normalisation (metrics/word_set.h). Expected sets come
// from eval.py's split_into_words run under CPython 3.11.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "metrics/word_set.h"

using perseval::metrics::ascii_word_set;
using perseval::metrics::set_precision_recall_f1;
using Set = std::set<std::string>;

TEST_CASE("word set: non-ASCII-alphanumerics are deleted, not split on", "[word_set][personabench]") {
  CHECK(ascii_word_set("5'6\", blue eyes") == Set{"56", "blue", "eyes"});
  CHECK(ascii_word_set("e-mail") == Set{"email"});
  CHECK(ascii_word_set("Café Noël Roasters") == Set{"caf", "nol", "roasters"});
  CHECK(ascii_word_set("naïve—résumé") == Set{"naversum"});
  CHECK(ascii_word_set("東京") == Set{});
  CHECK(ascii_word_set("東京 Tokyo") == Set{"tokyo"});
  CHECK(ascii_word_set("Москва, Paris") == Set{"paris"});
  CHECK(ascii_word_set("٣٤ years") == Set{"years"});       // Arabic-Indic digits are not [0-9]
  CHECK(ascii_word_set("２ cups") == Set{"cups"});
  CHECK(ascii_word_set("🎉party🎉") == Set{"party"});
  CHECK(ascii_word_set("cafe\xCC\x81 ok") == Set{"cafe", "ok"});
}

TEST_CASE("word set: Unicode whitespace separates, zero-width space does not", "[word_set][personabench]") {
  CHECK(ascii_word_set("oolong\u00a0tea") == Set{"oolong", "tea"});
  CHECK(ascii_word_set("a\u3000b\u2028c") == Set{"a", "b", "c"});
  CHECK(ascii_word_set("a\u200bb") == Set{"ab"});
  CHECK(ascii_word_set("  Harvard   University \n") == Set{"harvard", "university"});
  CHECK(ascii_word_set("") == Set{});
  CHECK(ascii_word_set("HELLO hello") == Set{"hello"});
}

TEST_CASE("word set: precision, recall and F1 as eval.py computes them", "[word_set][personabench]") {
  // personabench.md §4.2 worked example.
  const auto s = set_precision_recall_f1({"height", "56", "eye", "color", "blue"}, {"56", "blue", "eyes"});
  CHECK(s.precision == 2.0 / 3.0);
  CHECK(s.recall == 2.0 / 5.0);
  CHECK(s.f1 == Approx(0.5).epsilon(1e-15));
  CHECK(s.f1 == (2 * (2.0 / 3.0) * (2.0 / 5.0)) / (2.0 / 3.0 + 2.0 / 5.0));

  const auto none = set_precision_recall_f1({"a"}, {});
  CHECK(none.precision == 0.0);
  CHECK(none.recall == 0.0);
  CHECK(none.f1 == 0.0);
  const auto empty_gold = set_precision_recall_f1({}, {"x"});
  CHECK(empty_gold.recall == 0.0);  // 0, not 1: eval.py's denominator rule
  const auto exact = set_precision_recall_f1({"a", "b"}, {"b", "a"});
  CHECK(exact.f1 == 1.0);
}
