// The all_options reader: JSON and Python list reprs, escapes, embedded quotes, and clear
// errors (expected values checked against Python 3.11's ast.literal_eval by hand).
#include <catch2/catch.hpp>

#include "tasks/personamem/python_list_literal.h"

using perseval::personamem::LiteralError;
using perseval::personamem::parse_python_string_list;
using Strings = std::vector<std::string>;

namespace {

std::string error_of(const std::string& literal, size_t* offset = nullptr) {
  try {
    parse_python_string_list(literal);
  } catch (const LiteralError& e) {
    if (offset) *offset = e.offset;
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("literal: JSON lists and Python reprs with mixed quote styles", "[personamem][literal]") {
  CHECK(parse_python_string_list(R"(["(a) x", "(b) y"])") == Strings{"(a) x", "(b) y"});
  CHECK(parse_python_string_list(R"(['(a) x', "(b) it's", '(c) say "hi"'])") ==
        Strings{"(a) x", "(b) it's", "(c) say \"hi\""});
  // The stray quote right after a label, as in a real row.
  CHECK(parse_python_string_list(R"(['(a) "How about tacos?', '(b) no'])") ==
        Strings{"(a) \"How about tacos?", "(b) no"});
  CHECK(parse_python_string_list(" [ 'a' ,\n 'b' , ] ") == Strings{"a", "b"});
  CHECK(parse_python_string_list("[]").empty());
}

TEST_CASE("literal: Python escapes", "[personamem][literal]") {
  // repr() of a string holding both quote kinds escapes the single quotes.
  CHECK(parse_python_string_list(R"(['it\'s "x"'])") == Strings{"it's \"x\""});
  CHECK(parse_python_string_list(R"(['a\\b', "c\"d"])") == Strings{"a\\b", "c\"d"});
  CHECK(parse_python_string_list(R"(['\n\t\r\a\b\f\v'])") == Strings{"\n\t\r\a\b\f\v"});
  CHECK(parse_python_string_list(R"(['\x41\xe9'])") == Strings{"A\xC3\xA9"});  // A é
  CHECK(parse_python_string_list(R"(['\u00e9\u2014', '\U0001F600'])") ==
        Strings{"\xC3\xA9\xE2\x80\x94", "\xF0\x9F\x98\x80"});
  CHECK(parse_python_string_list(R"(['\101\0\7'])") == Strings{std::string("A\0\a", 3)});
  // Unknown escapes keep their backslash; a backslash-newline continues the line.
  CHECK(parse_python_string_list(R"(['\d\/'])") == Strings{"\\d\\/"});
  CHECK(parse_python_string_list("['ab\\\ncd']") == Strings{"abcd"});
  // JSON's surrogate pairs become one code point; a lone surrogate becomes U+FFFD.
  CHECK(parse_python_string_list(R"(["\ud83d\ude00", "\ud83d x"])") ==
        Strings{"\xF0\x9F\x98\x80", "\xEF\xBF\xBD x"});
  // UTF-8 text passes through unchanged.
  CHECK(parse_python_string_list("['caf\xC3\xA9 \xE2\x80\x94 ok']") ==
        Strings{"caf\xC3\xA9 \xE2\x80\x94 ok"});
}

TEST_CASE("literal: an unescaped quote of the element's own kind is tolerated",
          "[personamem][literal]") {
  // Not valid Python, but unambiguous: the quote is not followed by ',' or ']'.
  CHECK(parse_python_string_list(R"(['(a) It's fine', '(b) ok'])") ==
        Strings{"(a) It's fine", "(b) ok"});
  CHECK(parse_python_string_list(R"(["(a) a "quoted" word"])") == Strings{"(a) a \"quoted\" word"});
}

TEST_CASE("literal: malformed lists give the problem and the character", "[personamem][literal]") {
  size_t offset = 0;
  CHECK_THAT(error_of("('a', 'b')", &offset), Catch::Contains("expected '['"));
  CHECK(offset == 0);
  CHECK_THAT(error_of("['a' 'b']", &offset),
             Catch::Contains("expected ',' or ']' after element 1"));
  CHECK(offset == 5);
  CHECK_THAT(error_of("['a', 3]"), Catch::Contains("expected a quoted string at character 7"));
  CHECK_THAT(error_of("['a'"), Catch::Contains("expected ',' or ']'"));
  CHECK_THAT(error_of("['abc"), Catch::Contains("string is not terminated at character 2"));
  CHECK_THAT(error_of("['a'] x"), Catch::Contains("unexpected text after the closing ']'"));
  CHECK_THAT(error_of(R"(['\x4'])"), Catch::Contains("truncated \\x escape"));
  CHECK_THAT(error_of(R"(['\u12'])"), Catch::Contains("truncated \\u escape"));
  CHECK_THAT(error_of(R"(['\U00110000'])"), Catch::Contains("beyond U+10FFFF"));
  CHECK_THAT(error_of(R"(['\N{BULLET}'])"), Catch::Contains("named \\N{...} escapes"));
  CHECK_THAT(error_of(""), Catch::Contains("expected '['"));
  CHECK_THAT(error_of("[,]"), Catch::Contains("expected a quoted string"));
}
