// Profile retrieval: BM25 over the variant's corpus, recency by integer-tuple dates,
// seeded random retrieval with and without replacement (lamp.md §7.2).
#include <catch2/catch.hpp>

#include <set>

#include "harness/core/errors.h"
#include "tasks/lamp/lamp_retrieval.h"

using namespace perseval::lamp;
using nlohmann::json;

namespace {
const Variant& V(const char* name) { return *find_variant(name); }
}  // namespace

TEST_CASE("parse_date accepts integers and dash-separated strings", "[lamp][retrieval]") {
  CHECK(parse_date(json(2019)) == std::vector<long long>{2019});
  CHECK(parse_date(json("2019-05-03")) == std::vector<long long>{2019, 5, 3});
  CHECK(parse_date(json(" 2019-5 ")) == std::vector<long long>{2019, 5});
  CHECK(parse_date(json("2_019")) == std::vector<long long>{2019});  // Python int() allows it
  CHECK_FALSE(parse_date(json("2019/05/03")));
  CHECK_FALSE(parse_date(json("2019--03")));
  CHECK_FALSE(parse_date(json(2019.0)));  // str(2019.0) = "2019.0": int() raises
  CHECK_FALSE(parse_date(json("")));
  CHECK_FALSE(parse_date(json(nullptr)));
}

TEST_CASE("recency takes the newest k, newest first, with int and string dates",
          "[lamp][retrieval]") {
  const json profile = json::array({{{"text", "a"}, {"date", "2019-05-03"}},
                                    {{"text", "b"}, {"date", 2018}},
                                    {{"text", "c"}, {"date", "2019-5-10"}},
                                    {{"text", "d"}, {"date", "2019-05-03"}}});
  // Ascending (stable): b, a, d, c. Newest first: c, then the later of the tied a/d.
  CHECK(retrieve(V("lamp-7"), Retriever::recency, profile, "x: q", 3, 0) ==
        std::vector<size_t>{2, 3, 0});
  CHECK(retrieve(V("lamp-7"), Retriever::recency, profile, "x: q", 10, 0) ==
        std::vector<size_t>{2, 3, 0, 1});
  const json bad = json::array({{{"text", "a"}, {"date", "May 2019"}}});
  CHECK_THROWS_AS(retrieve(V("lamp-7"), Retriever::recency, bad, "x: q", 1, 0),
                  perseval::InputError);
}

TEST_CASE("bm25 retrieval ranks the variant's corpus strings against the query",
          "[lamp][retrieval]") {
  const json profile = json::array({{{"title", "Cooking pasta"}, {"text", "boil water salt"}},
                                    {{"title", "Stock markets"}, {"text", "shares fell sharply"}},
                                    {{"title", "Football final"}, {"text", "the team won"}}});
  const std::string input = "Generate a headline for the following article: shares fell today";
  CHECK(retrieve(V("lamp-4"), Retriever::bm25, profile, input, 1, 0) == std::vector<size_t>{1});
  const auto index = build_profile_index(V("lamp-4"), profile);
  CHECK(retrieve(V("lamp-4"), Retriever::bm25, profile, input, 2, 0, &index).size() == 2);
  CHECK(retrieve(V("lamp-4"), Retriever::none, profile, input, 2, 0).empty());
  CHECK(retrieve(V("lamp-4"), Retriever::bm25, profile, input, 0, 0).empty());
  CHECK(retrieve(V("lamp-4"), Retriever::bm25, json::array(), input, 3, 0).empty());
}

TEST_CASE("random retrieval is seeded, random draws with replacement", "[lamp][retrieval]") {
  json profile = json::array();
  for (int i = 0; i < 5; ++i) profile.push_back({{"text", "t" + std::to_string(i)}});
  const auto a = retrieve(V("lamp-7"), Retriever::random, profile, "x: q", 20, 42);
  const auto b = retrieve(V("lamp-7"), Retriever::random, profile, "x: q", 20, 42);
  const auto c = retrieve(V("lamp-7"), Retriever::random, profile, "x: q", 20, 43);
  CHECK(a == b);
  CHECK(a != c);
  REQUIRE(a.size() == 20);  // k draws even beyond the profile size
  CHECK(std::set<size_t>(a.begin(), a.end()).size() < a.size());  // repeats happen
  for (size_t i : a) CHECK(i < 5);

  const auto u = retrieve(V("lamp-7"), Retriever::random_unique, profile, "x: q", 20, 42);
  CHECK(u.size() == 5);
  CHECK(std::set<size_t>(u.begin(), u.end()).size() == 5);
  const auto u2 = retrieve(V("lamp-7"), Retriever::random_unique, profile, "x: q", 3, 42);
  CHECK(u2 == retrieve(V("lamp-7"), Retriever::random_unique, profile, "x: q", 3, 42));
  CHECK(std::set<size_t>(u2.begin(), u2.end()).size() == 3);
}

TEST_CASE("retriever names round-trip", "[lamp][retrieval]") {
  for (auto r : {Retriever::none, Retriever::bm25, Retriever::recency, Retriever::random,
                 Retriever::random_unique})
    CHECK(parse_retriever(retriever_name(r)) == r);
  CHECK_FALSE(parse_retriever("contriever"));
}
