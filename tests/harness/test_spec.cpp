#include <catch2/catch.hpp>

#include "harness/core/spec.h"

using namespace perseval;

TEST_CASE("spec parses name and sorted params", "[spec]") {
  auto s = Spec::parse("lamp-2:retriever=bm25,k=4");
  CHECK(s.name == "lamp-2");
  CHECK(s.get("k", "") == "4");
  CHECK(s.get_int("k", 0) == 4);
  CHECK(s.to_string() == "lamp-2:k=4,retriever=bm25");
  CHECK(Spec::parse("baseline").to_string() == "baseline");
  CHECK(Spec::parse("exec:cmd=python3 serve.py").get("cmd", "") == "python3 serve.py");
}

TEST_CASE("spec errors name the problem", "[spec]") {
  CHECK_THROWS_WITH(Spec::parse(":k=1"), Catch::Contains("empty name"));
  CHECK_THROWS_WITH(Spec::parse("lamp-1:k"), Catch::Contains("not key=value"));
  CHECK_THROWS_WITH(Spec::parse("lamp-1:k=1,k=2"), Catch::Contains("given twice"));
  CHECK_THROWS_WITH(Spec::parse("lamp-1:k=x").get_int("k", 0), Catch::Contains("integer"));
}
