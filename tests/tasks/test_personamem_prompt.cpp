// The official PERSONAMEM prompt, checked character by character against
// inference_standalone_openai.py::query_llm (upstream 041d82ac) by hand, and upstream's
// system-message merging.
#include <catch2/catch.hpp>

#include "tasks/personamem/personamem_prompt.h"
#include "tasks/registry.h"
#include "tests/tasks/personamem_test_support.h"

using namespace perseval;
using namespace perseval::personamem;
using namespace perseval::personamem_test;

namespace {

json conversation(std::initializer_list<std::pair<const char*, const char*>> items) {
  json list = json::array();
  for (const auto& [role, content] : items) list.push_back({{"role", role}, {"content", content}});
  return list;
}

bool same(const std::vector<Message>& got, const std::vector<Message>& want) {
  if (got.size() != want.size()) return false;
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i].role != want[i].role || got[i].content != want[i].content) return false;
  return true;
}

}  // namespace

TEST_CASE("prompt: question, instruction and the raw options string", "[personamem][prompt]") {
  CHECK(query_text("Q?", "['(a) x', \"(b) it's\"]") ==
        "Q?\n\nFind the most appropriate model response and give your final answer (a), (b), "
        "(c), or (d) after the special token <final_answer>.\n\n['(a) x', \"(b) it's\"]");
  const auto messages =
      build_messages(conversation({{"system", "S"}, {"user", "U"}}), "Q", "[]", false);
  REQUIRE(messages.size() == 3);
  CHECK(messages[0].role == "system");
  CHECK(messages[0].content == "S");
  CHECK(messages[1].content == "U");
  CHECK(messages[2].role == "user");
  CHECK(messages[2].content.rfind("Q\n\nFind the most", 0) == 0);
  // No history: the query alone, as upstream's `if context:` branch gives.
  CHECK(build_messages(json::array(), "Q", "[]", false).size() == 1);
}

TEST_CASE("prompt: the bundled first question renders exactly", "[personamem][prompt]") {
  const auto task = make_task(Spec::parse("personamem"));
  const auto samples = load_all(*task, bundled_source());
  REQUIRE(samples.size() == 14);
  const Request r = task->render(samples[0]);
  REQUIRE(r.messages.size() == 15);  // end_index 14 + the query
  CHECK(r.messages[0].role == "system");
  CHECK(r.messages[0].content.rfind("Current user persona: Name: Synthetic Persona Alma Reyes",
                                    0) == 0);
  CHECK(r.messages[13].role == "assistant");
  CHECK(r.messages[13].content ==
        "Assistant: A mock challenge comparing a diversified basket with single picks could show "
        "them what you learned.");
  CHECK(r.messages[14].role == "user");
  CHECK(r.messages[14].content ==
        "What was the name of the club I started for teenagers at the library, and what did it "
        "teach?\n\nFind the most appropriate model response and give your final answer (a), (b), "
        "(c), or (d) after the special token <final_answer>.\n\n['(a) A chess club that taught "
        "opening strategy.', '(b) A coding club where teens built budgeting apps.', '(c) A money "
        "basics club where teens learned about budgets.', '(d) A reading circle about famous "
        "entrepreneurs and their biographies, with weekly discussions.']");
  // The stray quote after "(a) " is embedded verbatim, as the raw cell holds it.
  const Request r5 = task->render(samples[4]);
  CHECK_THAT(r5.messages.back().content,
             Catch::EndsWith("\n\n['(a) \"How about a mock investment challenge comparing a "
                             "diversified basket with single picks? It mirrors what you learned.', "
                             "'(b) A stock-picking contest where each teen bets on one tech "
                             "company.', '(c) A session on day trading with real money.', '(d) A "
                             "talk on why budgets are unnecessary when you are young and have "
                             "plenty of time ahead of you to save later.']"));
}

TEST_CASE("prompt: system_merge folds system messages as upstream does", "[personamem][prompt]") {
  const std::vector<Message> in = {{"system", "S1"},    {"user", "U1"},   {"assistant", "A1"},
                                   {"system", "S2"},    {"system", "S3"}, {"user", "U2"},
                                   {"assistant", "A2"}, {"user", "query"}};
  CHECK(same(merge_system_messages(in), {{"user", "[System]: S1\nU1"},
                                         {"assistant", "A1"},
                                         {"user", "[System]: S2\n[System]: S3\nU2"},
                                         {"assistant", "A2"},
                                         {"user", "query"}}));
  // A history ending on a user turn merges with the query; a trailing system message
  // prefixes it; one with nothing after it is dropped.
  CHECK(same(merge_system_messages({{"user", "U"}, {"user", "Q"}}), {{"user", "U\nQ"}}));
  CHECK(same(merge_system_messages({{"assistant", "A"}, {"system", "S"}, {"user", "Q"}}),
             {{"assistant", "A"}, {"user", "[System]: S\nQ"}}));
  CHECK(same(merge_system_messages({{"user", "U"}, {"system", "S"}}), {{"user", "U"}}));

  const auto merged = make_task(Spec::parse("personamem:system_merge=1"));
  const auto samples = load_all(*merged, bundled_source());
  const Request r = merged->render(samples[0]);
  for (const auto& m : r.messages) CHECK(m.role != "system");
  CHECK(r.messages[0].content.rfind("[System]: Current user persona: Name: Synthetic Persona Alma",
                                    0) == 0);
  CHECK(r.messages[0].role == "user");
}

TEST_CASE("prompt: context=none and budget controls", "[personamem][prompt]") {
  const auto none = make_task(Spec::parse("personamem:context=none"));
  for (const auto& s : load_all(*none, bundled_source())) {
    const Request r = none->render(s);
    REQUIRE(r.messages.size() == 1);
    CHECK(r.messages[0].content.find("<final_answer>") != std::string::npos);
  }
  const auto budget = make_task(Spec::parse("personamem:budget=300"));
  const auto samples = load_all(*budget, bundled_source());
  const Request r = budget->render(samples[0]);
  long long chars = 0;
  for (size_t i = 0; i + 1 < r.messages.size(); ++i)
    chars += static_cast<long long>(r.messages[i].content.size());
  CHECK(chars <= 300);
  CHECK(r.messages.size() > 1);
  CHECK(r.messages.size() < 15);
  CHECK(r.messages[r.messages.size() - 2].role == "assistant");  // the most recent turns stay
}
