// Ranking metrics (metrics/ranking.h) against values computed by hand:
// ranked = [a, b, c, d, e], relevant = {a, c, f}.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "metrics/ranking.h"

namespace m = perseval::metrics;
using Ids = std::vector<std::string>;
using Rel = std::set<std::string>;

namespace {
const Ids kRanked{"a", "b", "c", "d", "e"};
const Rel kRelevant{"a", "c", "f"};
}  // namespace

TEST_CASE("ranking: recall@k and precision@k", "[ranking]") {
  CHECK(m::recall_at_k(kRanked, kRelevant, 5) == 2.0 / 3.0);
  CHECK(m::recall_at_k(kRanked, kRelevant, 2) == 1.0 / 3.0);
  CHECK(m::recall_at_k(kRanked, kRelevant, 0) == 0.0);
  CHECK(m::recall_at_k(kRanked, {}, 5) == 0.0);
  CHECK(m::precision_at_k(kRanked, kRelevant, 5) == 2.0 / 5.0);
  CHECK(m::precision_at_k(kRanked, kRelevant, 2) == 1.0 / 2.0);
  CHECK(m::precision_at_k(kRanked, kRelevant, 10) == 2.0 / 10.0);  // short lists are not rewarded
  CHECK(m::precision_at_k(kRanked, kRelevant, 0) == 0.0);
}

TEST_CASE("ranking: reciprocal rank and average precision", "[ranking]") {
  CHECK(m::reciprocal_rank(kRanked, kRelevant, 5) == 1.0);
  CHECK(m::reciprocal_rank(Ids{"x", "y", "c"}, kRelevant, 3) == 1.0 / 3.0);
  CHECK(m::reciprocal_rank(Ids{"x", "y", "c"}, kRelevant, 2) == 0.0);
  // AP@5 = (1/1 + 2/3) / |relevant| = 5/9; f is never retrieved and counts as 0.
  CHECK(m::average_precision(kRanked, kRelevant, 5) == Approx(5.0 / 9.0).epsilon(1e-15));
  CHECK(m::average_precision(kRanked, kRelevant, 1) == Approx(1.0 / 3.0).epsilon(1e-15));
  CHECK(m::average_precision(kRanked, {}, 5) == 0.0);
  // MRR / MAP over queries are plain means of these.
}

TEST_CASE("ranking: binary nDCG@k with log2(i + 2) discounts", "[ranking]") {
  // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) + 1/log2(4) over min(3, 5) ideal hits.
  CHECK(m::ndcg_at_k(kRanked, kRelevant, 5) == Approx(0.7039180890341347).epsilon(1e-15));
  CHECK(m::ndcg_at_k(kRanked, kRelevant, 1) == 1.0);
  CHECK(m::ndcg_at_k(Ids{"c", "a"}, kRelevant, 2) == 1.0);
  CHECK(m::ndcg_at_k(kRanked, {}, 5) == 0.0);
  CHECK(m::ndcg_at_k(Ids{}, kRelevant, 5) == 0.0);
}

TEST_CASE("ranking: a duplicated hit counts twice in DCG, once elsewhere (eval.py)", "[ranking]") {
  const Ids ranked{"a", "a", "b"};
  const Rel relevant{"a"};
  CHECK(m::ndcg_at_k(ranked, relevant, 3) == Approx(1.6309297535714575).epsilon(1e-15));
  CHECK(m::recall_at_k(ranked, relevant, 3) == 1.0);
  CHECK(m::precision_at_k(ranked, relevant, 3) == 1.0 / 3.0);
  CHECK(m::average_precision(ranked, relevant, 3) == 1.0);
}

TEST_CASE("ranking: graded nDCG with linear and exponential gains", "[ranking]") {
  const std::vector<double> ranked{3, 2, 0, 1};
  const std::vector<double> judged{3, 2, 0, 1, 3};  // one relevance-3 item was not retrieved
  const double dcg = 3.0 + 2.0 / std::log2(3.0) + 0.0 + 1.0 / std::log2(5.0);
  CHECK(m::dcg_at_k(ranked, 4) == Approx(dcg).epsilon(1e-15));
  CHECK(m::dcg_at_k(ranked, 4) == Approx(4.692536065216308).epsilon(1e-15));
  CHECK(m::ndcg_at_k(ranked, judged, 4) == Approx(0.7420829335827559).epsilon(1e-15));
  CHECK(m::ndcg_at_k(ranked, judged, 4, m::Gain::exponential) == Approx(0.6985342553798106).epsilon(1e-15));
  CHECK(m::ndcg_at_k(ranked, std::vector<double>{0, 0}, 4) == 0.0);
  // Binary gains through the graded form agree with the id form.
  CHECK(m::ndcg_at_k(std::vector<double>{1, 0, 1, 0, 0}, std::vector<double>{1, 1, 1}, 5) ==
        Approx(m::ndcg_at_k(kRanked, kRelevant, 5)).epsilon(1e-15));
}
