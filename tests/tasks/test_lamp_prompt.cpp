// Prompt strings of every LaMP variant exactly as LaMP/prompts/prompts.py builds them
// (lamp.md §7.3), and the word-budget emulation of its token allocation.
#include <catch2/catch.hpp>

#include "tasks/lamp/lamp_prompt.h"
#include "tasks/lamp/lamp_query.h"
#include "tasks/lamp/lamp_variant.h"

using namespace perseval::lamp;
using nlohmann::json;

namespace {

const Variant& V(const char* name) { return *find_variant(name); }

std::string prompt(const char* variant, const std::string& input, const json& profile,
                   std::vector<size_t> selected, PromptOptions options = {}) {
  return build_prompt(V(variant), input, profile, selected, options);
}

const std::string kMovieInput =
    "Which tag does this movie relate to among the following tags? Just answer with the tag "
    "name without further explanation. tags: [sci-fi, based on a book, comedy, action, twist "
    "ending, dystopia, dark comedy, classic, psychology, fantasy, romance, thought-provoking, "
    "social commentary, violence, true story] description: A robot learns to paint.";

}  // namespace

TEST_CASE("LaMP-2 movies prompt with k=2", "[lamp][prompt]") {
  const json profile = json::array({{{"description", "d1"}, {"tag", "t1"}},
                                    {{"description", "d2"}, {"tag", "t2"}}});
  CHECK(prompt("lamp-2", kMovieInput, profile, {0, 1}) ==
        "the tag for the movie: \"d1\" is \"t1\" , and the tag for the movie: \"d2\" is \"t2\" . " +
            kMovieInput);
}

TEST_CASE("LaMP-1 inserts the titles after the first 'title'", "[lamp][prompt]") {
  const std::string input =
      "For an author who has written the paper with the title \"X\", which reference is "
      "related? Just answer with [1] or [2] without explanation. [1]: \"R1\" [2]: \"R2\"";
  const json profile = json::array({{{"title", "T1"}, {"abstract", "a1"}},
                                    {{"title", "T2"}, {"abstract", "a2"}}});
  CHECK(prompt("lamp-1", input, profile, {0, 1}) ==
        "For an author who has written the paper with the title, and \"T1\", and \"T2\" \"X\", "
        "which reference is related? Just answer with [1] or [2] without explanation. "
        "[1]: \"R1\" [2]: \"R2\"");
  // No "title" in the input: unchanged, as upstream's add_string_after_title.
  CHECK(prompt("lamp-1", "no marker here", profile, {0}) == "no marker here");
}

TEST_CASE("Prompt strings of LaMP-2-news, 3, 4, 5, 6, 7", "[lamp][prompt]") {
  const std::string in = "INPUT";
  CHECK(prompt("lamp-2-news", in,
               json::array({{{"title", "h"}, {"text", "x1"}, {"category", "sports"}}}), {0}) ==
        "the category for the article: \"x1\" is \"sports\" . INPUT");
  // A numeric score prints as Python's str() would.
  CHECK(prompt("lamp-3", in,
               json::array({{{"text", "r1"}, {"score", "5"}}, {{"text", "r2"}, {"score", 2}}}),
               {0, 1}) ==
        "5 is the score for \"r1\" , and 2 is the score for \"r2\" . INPUT");
  CHECK(prompt("lamp-4", in, json::array({{{"title", "H1"}, {"text", "a1"}}}), {0}) ==
        "\"H1\" is the title for \"a1\" . INPUT");
  CHECK(prompt("lamp-5", in, json::array({{{"title", "T1"}, {"abstract", "A1"}}}), {0}) ==
        "\"T1\" is a title for \"A1\" . Following the given patterns INPUT");
  CHECK(prompt("lamp-6", in, json::array({{{"title", "S1"}, {"text", "b1"}}}), {0}) ==
        "\"S1\" is the title for \"b1\" . INPUT");
  // Each item ends with a space, so two spaces precede "are written".
  CHECK(prompt("lamp-7", in, json::array({{{"text", "tw1"}}, {{"text", "tw2"}}}), {0, 1}) ==
        "\"tw1\" , and \"tw2\"  are written by a person. Following the given patterns INPUT");
}

TEST_CASE("Repeated items (random retrieval) render twice, no items give the raw input",
          "[lamp][prompt]") {
  const json profile = json::array({{{"text", "tw1"}}});
  CHECK(prompt("lamp-7", "IN", profile, {0, 0}) ==
        "\"tw1\" , and \"tw1\"  are written by a person. Following the given patterns IN");
  CHECK(prompt("lamp-7", "IN", profile, {}) == "IN");
  PromptOptions none;
  none.mode = PromptMode::none;
  CHECK(prompt("lamp-7", "IN", profile, {0}, none) == "IN");
}

TEST_CASE("truncate=words follows the official allocation in words", "[lamp][prompt]") {
  // 9 input words, budget 30: room = 30 - min(9, int(0.6*30)) = 21;
  // share = (21 - 1 - 2*(2-1)) // 2 = 9; overhead of '"H1" is the title for " " ' = 7 words.
  const std::string input = "Generate a headline for the following article: w w";
  PromptOptions words;
  words.truncate = TruncateMode::words;
  words.budget = 30;
  const json profile = json::array({{{"title", "H1"}, {"text", "a b c d e"}},
                                    {{"title", "H2"}, {"text", "f g h i"}},
                                    {{"title", "H3"}, {"text", "a"}}});
  CHECK(prompt("lamp-4", input, profile, {0, 1}, words) ==
        "\"H1\" is the title for \"a b\" , and \"H2\" is the title for \"f g\" . " + input);
  // Unused words carry over: item 3 keeps 1 of its 2 words, so item 2 may keep 3.
  CHECK(prompt("lamp-4", input, profile, {2, 1}, words) ==
        "\"H3\" is the title for \"a\" , and \"H2\" is the title for \"f g h\" . " + input);
  // A budget too small for the overhead at every factor falls back to the raw input.
  words.budget = 10;
  CHECK(prompt("lamp-4", input, profile, {0, 1}, words) == input);
  // A generous budget leaves items whole.
  words.budget = 512;
  CHECK(prompt("lamp-4", input, profile, {0, 1}, words) ==
        prompt("lamp-4", input, profile, {0, 1}));
}

TEST_CASE("truncate=words for LaMP-1 truncates titles with a fixed overhead of 2",
          "[lamp][prompt]") {
  const std::string input = "paper with the title \"X\" [1]: \"R1\" [2]: \"R2\"";  // 9 words
  PromptOptions words;
  words.truncate = TruncateMode::words;
  words.budget = 16;
  // room = 16 - min(9, int(9.6)) = 7; share = (7 - 2*0) // 1 = 7; allowance = 7 - 2 = 5.
  const json profile = json::array({{{"title", "one two three four five six seven eight"},
                                     {"abstract", "a"}}});
  CHECK(prompt("lamp-1", input, profile, {0}, words) ==
        "paper with the title, and \"one two three four five\" \"X\" [1]: \"R1\" [2]: \"R2\"");
}

TEST_CASE("Query extraction follows upstream's rules", "[lamp][prompt]") {
  CHECK(extract_query(V("lamp-2"), kMovieInput) == "A robot learns to paint.");
  CHECK(extract_query(V("lamp-1"),
                      "the title \"X\", which? [1]: \"R one\" [2]: \"R two\"") == "R one R two");
  CHECK(extract_query(V("lamp-3"), "score? review:  Great!  ") == "Great!");
  CHECK(extract_query(V("lamp-5"), "Generate a title for the following abstract of a paper: "
                                   "We study x.") == "We study x.");
  CHECK(extract_query(V("lamp-7"), "Paraphrase: a: b") == "a: b");
  // Marker absent (upstream would crash on None.split()): the whole input.
  CHECK(extract_query(V("lamp-4"), "no marker") == "no marker");
  CHECK_FALSE(has_query_marker(V("lamp-4"), "no marker"));
  CHECK(has_query_marker(V("lamp-2"), kMovieInput));
}
