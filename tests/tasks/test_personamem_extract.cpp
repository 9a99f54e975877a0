// The official answer extraction (personamem.md §6). Every expectation below was checked
// against upstream's extract_answer running in CPython 3.11.
#include <catch2/catch.hpp>

#include "tasks/personamem/answer_extraction.h"

using namespace perseval::personamem;

namespace {

bool correct(const std::string& response, const std::string& gold) {
  return extract_answer(response, gold).correct;
}

}  // namespace

TEST_CASE("extract: the specification's table", "[personamem][extract]") {
  CHECK(correct("Thinking... <final_answer>(b)", "(b)"));
  CHECK(correct("<final_answer> B", "(b)"));                      // bare letter after lower()
  CHECK_FALSE(correct("<final_answer> (a) or (b)", "(b)"));       // two letters
  CHECK(correct("I'd pick (c)", "(c)"));                          // parentheses win
  CHECK(correct("<final_answer> d, as I'd say", "(d)"));          // "I'd" adds d too
  CHECK_FALSE(correct("<final_answer> b is a good fit", "(b)"));  // the article a
  CHECK(correct("Option (c) fits. <final_answer>", "(c)"));       // empty tail: whole response
}

TEST_CASE("extract: tags, the last occurrence and the fallback", "[personamem][extract]") {
  const auto e = extract_answer("<final_answer>(a)</final_answer>", "(a)");
  CHECK(e.correct);
  CHECK(e.predicted_answer == "(a)");
  CHECK(correct("First (a) seemed right, then <final_answer> (b)</final_answer>", "(b)"));
  // The tail says b, the whole response {a, b}: neither is {a}.
  CHECK_FALSE(correct("First (a) seemed right, then <final_answer> (b)</final_answer>", "(a)"));
  const auto last = extract_answer("<final_answer> a <final_answer> c", "(c)");
  CHECK(last.correct);
  CHECK(last.tail_letters == "c");
  CHECK(last.full_letters == "ac");
  CHECK(correct("<final_answer>(c) </final_answer>  ", "(c)"));
  CHECK(correct("(d)</final_answer>", "(d)"));  // a closing tag alone is dropped too
  // str.strip() is Unicode-aware: ideographic spaces go.
  CHECK(extract_answer("\xE3\x80\x80<final_answer> (b)\xE3\x80\x80", "(b)").predicted_answer ==
        "(b)");
  CHECK(correct("(A)", "(a)"));
  CHECK_FALSE(correct("", "(a)"));
}

TEST_CASE("extract: word boundaries are Python's Unicode word boundaries", "[personamem][extract]") {
  CHECK(option_letters("<final_answer> \xC3\xA9"
                       "a")
            .empty());                                 // é is a word character
  CHECK(option_letters("Answer: \xD0\xB6 b") == "b");  // ж b: separate words
  CHECK(option_letters("Answer: \xD0\xB6"
                       "b")
            .empty());  // жb: one word
  CHECK(option_letters("\xD0\xB4"
                       "a")
            .empty());                        // дa
  CHECK(option_letters("a\xCC\x81") == "a");  // a + combining acute (Mn)
  CHECK(option_letters("\xC4\xB0"
                       "a") == "a");  // İ lowers to i + U+0307
  CHECK(option_letters("Ia").empty());
  CHECK(option_letters("\xEF\xBC\x91"
                       "a")
            .empty());                         // fullwidth digit one
  CHECK(option_letters("a\xD9\xA0").empty());  // Arabic-Indic zero
  CHECK(option_letters("\xC2\xBD"
                       "a")
            .empty());  // ½ is numeric (No)
  CHECK(option_letters("\xE2\x85\xA0"
                       "b")
            .empty());                        // Roman numeral one (Nl)
  CHECK(option_letters("a_").empty());        // underscore is a word char
  CHECK(option_letters("c\xC2\xA0") == "c");  // no-break space separates
  CHECK(option_letters("x-a-y") == "a");
  CHECK(option_letters("\xE2\x92\xB6").empty());  // Ⓐ is a symbol
  CHECK(option_letters("(a)(B) and c") == "ab");  // parentheses first
}

TEST_CASE("extract: the gold letter", "[personamem][extract]") {
  CHECK(gold_letter("(a)") == "a");
  CHECK(gold_letter("(B) ") == "b");
  CHECK(gold_letter("((c))") == "c");
  CHECK(gold_letter("d") == "d");
  CHECK(gold_letter("(e)").empty());
  CHECK(gold_letter("(a) yes").empty());
  CHECK(gold_letter("").empty());
  CHECK_FALSE(correct("(c)", "(e)"));
  CHECK(correct("(c)", "((c))"));
  CHECK(format_letters("ab") == "(a)(b)");
  CHECK(format_letters("").empty());
}
