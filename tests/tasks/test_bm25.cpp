// BM25Okapi against numbers computed with a line-by-line Python re-implementation of
// rank_bm25 0.2.x (same formula and operation order), and Python str.split() semantics.
#include <catch2/catch.hpp>

#include "metrics/unicode_text.h"
#include "tasks/retrieval/bm25.h"
#include "tasks/retrieval/whitespace.h"

using perseval::retrieval::Bm25Okapi;
using perseval::retrieval::whitespace_prefix;
using perseval::retrieval::whitespace_split;
using perseval::retrieval::whitespace_word_count;

namespace {

Bm25Okapi small_index() {
  const std::vector<std::string> docs = {"the cat sat on the mat", "the dog sat on the log",
                                         "cats and dogs", "the the the"};
  std::vector<std::vector<std::string>> corpus;
  for (const auto& d : docs) corpus.push_back(whitespace_split(d));
  return Bm25Okapi(corpus);
}

}  // namespace

TEST_CASE("whitespace_split follows Python str.split()", "[lamp][bm25]") {
  CHECK(whitespace_split("  a  b\tc\n") == std::vector<std::string>{"a", "b", "c"});
  CHECK(whitespace_split("").empty());
  CHECK(whitespace_split(" \t\n ").empty());
  // U+00A0 and U+3000 and \x1c split; U+200B (zero-width space) does not.
  CHECK(whitespace_split("a\xC2\xA0" "b\xE3\x80\x80" "c\xE2\x80\x8B" "d\x1c" "e") ==
        std::vector<std::string>{"a", "b", "c\xE2\x80\x8B" "d", "e"});
  CHECK(whitespace_split("Cat, cat.") == std::vector<std::string>{"Cat,", "cat."});
  CHECK(whitespace_word_count(" one two  three ") == 3);
}

TEST_CASE("whitespace_split's ASCII fast path agrees with the Unicode table for every byte",
          "[lamp][bm25]") {
  for (int byte = 1; byte < 0x100; ++byte) {
    const std::string text = std::string("a") + static_cast<char>(byte) + "b \xC2\x85" + "c";
    INFO("byte " << byte);
    CHECK(whitespace_split(text) == perseval::metrics::python_split(text));
  }
}

TEST_CASE("whitespace_prefix keeps original spacing and fitting texts verbatim", "[lamp][bm25]") {
  CHECK(whitespace_prefix("a  b c d", 2) == "a  b");
  CHECK(whitespace_prefix("a b ", 2) == "a b ");
  CHECK(whitespace_prefix("a b", 5) == "a b");
  CHECK(whitespace_prefix("a b", 0).empty());
}

TEST_CASE("BM25Okapi idf, epsilon floor and avgdl match rank_bm25", "[lamp][bm25]") {
  const auto bm = small_index();
  CHECK(bm.size() == 4);
  CHECK(bm.avgdl() == 4.5);
  // "the" is in 3 of 4 documents: negative idf replaced by 0.25 * mean idf.
  CHECK(bm.idf("the") == Approx(0.12709467905808053).epsilon(1e-15));
  CHECK(bm.idf("cat") == Approx(0.8472978603872037).epsilon(1e-15));
  CHECK(bm.idf("sat") == 0.0);  // in half the documents: ln(2.5) - ln(2.5)
  CHECK(bm.idf("zebra") == 0.0);
}

TEST_CASE("BM25Okapi scores match rank_bm25", "[lamp][bm25]") {
  const auto bm = small_index();
  auto expect = [&](const std::string& query, std::vector<double> want) {
    const auto got = bm.scores(whitespace_split(query));
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      INFO(query << " doc " << i);
      CHECK(got[i] == Approx(want[i]).epsilon(1e-14).margin(1e-15));
    }
  };
  expect("the cat", {0.9007738824312768, 0.163993134268491, 0.0, 0.2310812346510555});
  expect("sat on the log", {0.163993134268491, 0.9007738824312768, 0.0, 0.2310812346510555});
  // Repeated query tokens count again.
  expect("dogs dogs", {0.0, 0.0, 1.9936420244404793, 0.0});
  expect("the the", {0.327986268536982, 0.327986268536982, 0.0, 0.462162469302111});
  expect("zebra", {0.0, 0.0, 0.0, 0.0});
}

TEST_CASE("BM25 top_k orders ties by descending item position", "[lamp][bm25]") {
  const auto bm = small_index();
  // "the": doc3 best, docs 0 and 1 tie, doc 2 scores 0.
  CHECK(bm.top_k(whitespace_split("the"), 4) == std::vector<size_t>{3, 1, 0, 2});
  CHECK(bm.top_k(whitespace_split("the"), 2) == std::vector<size_t>{3, 1});
  CHECK(bm.top_k(whitespace_split("the"), 10).size() == 4);
  CHECK(bm.rank_all(whitespace_split("zebra")) == std::vector<size_t>{3, 2, 1, 0});
  CHECK(bm.top_k(whitespace_split("the cat"), 1) == std::vector<size_t>{0});
  CHECK(bm.top_k(whitespace_split("the cat"), 0).empty());
}

TEST_CASE("BM25 on degenerate corpora scores zero instead of raising", "[lamp][bm25]") {
  const Bm25Okapi empty(std::vector<std::vector<std::string>>{});
  CHECK(empty.size() == 0);
  CHECK(empty.top_k({"a"}, 3).empty());
  const Bm25Okapi blank(std::vector<std::vector<std::string>>{{}, {}});
  CHECK(blank.scores({"a"}) == std::vector<double>{0.0, 0.0});
  CHECK(blank.top_k({"a"}, 2) == std::vector<size_t>{1, 0});
}
