// rouge_score's default tokenizer and ROUGE-1/2/L. Expected values come from a small
// plain-Python reference written from rouge_score's semantics (lower(), re.sub
// "[^a-z0-9]+" -> " ", Counter n-grams with min clipping, LCS DP table, F = 2PR/(P+R)),
// run with CPython 3.11 on the development machine.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "metrics/rouge.h"

using namespace perseval::metrics;
using Tokens = std::vector<std::string>;

namespace {
constexpr double kExact = 1e-12;

void check_score(const RougeScore& score, double p, double r, double f) {
  CHECK(score.precision == Approx(p).epsilon(0).margin(kExact));
  CHECK(score.recall == Approx(r).epsilon(0).margin(kExact));
  CHECK(score.fmeasure == Approx(f).epsilon(0).margin(kExact));
}

struct Scores {
  RougeScore r1, r2, rl;
};
Scores score_texts(const std::string& reference, const std::string& prediction) {
  const Tokens ref = rouge_tokenize(reference);
  const Tokens pred = rouge_tokenize(prediction);
  return {rouge_n(ref, pred, 1), rouge_n(ref, pred, 2), rouge_l(ref, pred)};
}
}  // namespace

TEST_CASE("rouge_tokenize follows rouge_score's default tokenizer", "[metrics]") {
  CHECK(rouge_tokenize("I \u2764\ufe0f NYC!!") == Tokens{"i", "nyc"});
  CHECK(rouge_tokenize("\u212Aelvin 5\u212A") == Tokens{"kelvin", "5k"});  // KELVIN SIGN
  CHECK(rouge_tokenize("\u0130stanbul") == Tokens{"i", "stanbul"});         // İstanbul
  CHECK(rouge_tokenize("x\u0130y") == Tokens{"xi", "y"});
  CHECK(rouge_tokenize("Caf\u00e9 \u00dcn\u00efcode 2024") ==
        Tokens{"caf", "n", "code", "2024"});
  CHECK(rouge_tokenize("don't-stop_me NOW") == Tokens{"don", "t", "stop", "me", "now"});
  CHECK(rouge_tokenize("\u65e5\u672c\u8a9e text") == Tokens{"text"});  // 日本語 text
  CHECK(rouge_tokenize("") == Tokens{});
  CHECK(rouge_tokenize("  \t!!! ") == Tokens{});
  CHECK(rouge_tokenize("ABC\xff" "def") == Tokens{"abc", "def"});  // bad byte separates
  // Non-ASCII letters that merely look like ASCII are deleted (fullwidth Ａ, Cyrillic а).
  CHECK(rouge_tokenize("\uff21b \u0430b") == Tokens{"b", "b"});
}

TEST_CASE("ROUGE with repeated tokens clips the overlap", "[metrics]") {
  // ref counts the:2 cat:1 ...; pred the:3 cat:2 -> overlap 2 + 1 = 3 of 5 and of 6.
  const Scores s = score_texts("the cat sat on the mat", "the cat the cat the");
  check_score(s.r1, 0.6, 0.5, 0.5454545454545454);
  check_score(s.r2, 0.25, 0.2, 0.22222222222222224);
  check_score(s.rl, 0.6, 0.5, 0.5454545454545454);

  const Scores t = score_texts("a a a b", "a b a b a");
  check_score(t.r1, 0.8, 1.0, 0.888888888888889);
  check_score(t.r2, 0.25, 0.3333333333333333, 0.28571428571428575);
  check_score(t.rl, 0.6, 0.75, 0.6666666666666665);
}

TEST_CASE("ROUGE on reordered and paraphrased text", "[metrics]") {
  const Scores s = score_texts("police killed the gunman", "the gunman police killed");
  check_score(s.r1, 1.0, 1.0, 1.0);
  check_score(s.r2, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666);
  check_score(s.rl, 0.5, 0.5, 0.5);

  const Scores r = score_texts("a b c d e f", "f e d c b a");
  check_score(r.r1, 1.0, 1.0, 1.0);
  check_score(r.r2, 0.0, 0.0, 0.0);
  check_score(r.rl, 1.0 / 6.0, 1.0 / 6.0, 0.16666666666666666);

  const Scores q = score_texts("The quick brown fox jumps over the lazy dog",
                               "the fast brown fox leaped over a lazy dog");
  check_score(q.r1, 2.0 / 3.0, 2.0 / 3.0, 0.6666666666666666);
  check_score(q.r2, 0.25, 0.25, 0.25);
  check_score(q.rl, 2.0 / 3.0, 2.0 / 3.0, 0.6666666666666666);

  const Scores e = score_texts("i love nyc", "I \u2764\ufe0f NYC!!");
  check_score(e.r1, 1.0, 0.6666666666666666, 0.8);
  check_score(e.r2, 0.0, 0.0, 0.0);
  check_score(e.rl, 1.0, 0.6666666666666666, 0.8);
}

TEST_CASE("ROUGE with empty sides is zero", "[metrics]") {
  for (const auto& [reference, prediction] :
       std::vector<std::pair<std::string, std::string>>{
           {"hello world", ""}, {"", ""}, {"", "hello"}, {"!!!", "\u2764"}}) {
    const Scores s = score_texts(reference, prediction);
    check_score(s.r1, 0, 0, 0);
    check_score(s.r2, 0, 0, 0);
    check_score(s.rl, 0, 0, 0);
  }
  // Fewer tokens than n: no n-grams on that side.
  check_score(rouge_n(Tokens{"a"}, Tokens{"a"}, 2), 0, 0, 0);
  check_score(rouge_n(Tokens{"a", "b"}, Tokens{"a", "b"}, 2), 1, 1, 1);
}

TEST_CASE("ROUGE-L is symmetric in which side is longer", "[metrics]") {
  const Tokens a = rouge_tokenize("a b c d e f g h");
  const Tokens b = rouge_tokenize("x b d y f h");
  // LCS = b d f h = 4.
  check_score(rouge_l(a, b), 4.0 / 6.0, 4.0 / 8.0, 2 * (4.0 / 6.0) * 0.5 / (4.0 / 6.0 + 0.5));
  check_score(rouge_l(b, a), 4.0 / 8.0, 4.0 / 6.0, 2 * 0.5 * (4.0 / 6.0) / (0.5 + 4.0 / 6.0));
}

TEST_CASE("bootstrap_median is seeded and near the mean", "[metrics]") {
  std::vector<double> values;
  for (int i = 0; i < 200; ++i) values.push_back((i * 37 % 101) / 100.0);
  double plain_mean = 0;
  for (double v : values) plain_mean += v;
  plain_mean /= static_cast<double>(values.size());

  const double a = bootstrap_median(values, 7);
  CHECK(a == bootstrap_median(values, 7));
  CHECK(a != bootstrap_median(values, 8));
  // The bootstrap means have standard error ~0.29/sqrt(200) = 0.02; their median sits
  // within a few hundredths of the sample mean.
  CHECK(std::abs(a - plain_mean) < 0.01);

  CHECK(bootstrap_median(std::vector<double>{0.25, 0.25, 0.25}, 1) == 0.25);
  CHECK(bootstrap_median(std::vector<double>{0.75}, 1, 10) == 0.75);
  CHECK(bootstrap_median(std::vector<double>{}, 1) == 0.0);
}
