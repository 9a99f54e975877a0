// The CSV reader behind PERSONAMEM's questions files: RFC-4180 as Python's csv module reads
// it (expected values checked against Python 3.11's csv.reader by hand).
#include <catch2/catch.hpp>
#include <sstream>

#include "tasks/csv/csv_reader.h"

using perseval::csv::CsvError;
using perseval::csv::CsvReader;

namespace {

using Records = std::vector<std::vector<std::string>>;

Records read_all(const std::string& text, std::vector<long long>* lines = nullptr) {
  std::istringstream in(text);
  CsvReader reader(in);
  Records out;
  std::vector<std::string> fields;
  while (reader.next(fields)) {
    out.push_back(fields);
    if (lines) lines->push_back(reader.line());
  }
  return out;
}

}  // namespace

TEST_CASE("csv: plain fields, empty fields and a missing final newline", "[personamem][csv]") {
  CHECK(read_all("a,b,c\n1,,3\n,,\nx") ==
        Records{{"a", "b", "c"}, {"1", "", "3"}, {"", "", ""}, {"x"}});
  CHECK(read_all("a,\n") == Records{{"a", ""}});
  CHECK(read_all("").empty());
}

TEST_CASE("csv: quoted fields keep commas, doubled quotes and line breaks", "[personamem][csv]") {
  CHECK(read_all("\"a,b\",\"say \"\"hi\"\"\",\"\"\n") == Records{{"a,b", "say \"hi\"", ""}});
  // Line breaks inside quotes stay exactly as written, CRLF included.
  CHECK(read_all("\"one\ntwo\",\"three\r\nfour\",x\n") ==
        Records{{"one\ntwo", "three\r\nfour", "x"}});
  // A real all_options cell: a Python list with both quote kinds.
  CHECK(read_all("\"['(a) it''s', \"\"(b) \"\"\"\"x\"\"\"\"\"\"]\"\n") ==
        Records{{"['(a) it''s', \"(b) \"\"x\"\"\"]"}});
}

TEST_CASE("csv: record ends are LF, CRLF or a lone CR, blank lines are skipped",
          "[personamem][csv]") {
  CHECK(read_all("a,b\r\nc,d\re,f\n") == Records{{"a", "b"}, {"c", "d"}, {"e", "f"}});
  CHECK(read_all("a\n\n\r\n\nb\n") == Records{{"a"}, {"b"}});
  // A line holding only "" is a record with one empty field, not a blank line.
  CHECK(read_all("\"\"\n") == Records{{""}});
}

TEST_CASE("csv: Python's lenient handling of stray quotes", "[personamem][csv]") {
  // A quote inside an unquoted field is literal.
  CHECK(read_all("ab\"c,d\n") == Records{{"ab\"c", "d"}});
  // Text after a closing quote is appended to the field.
  CHECK(read_all("\"ab\"cd,e\n") == Records{{"abcd", "e"}});
}

TEST_CASE("csv: line numbers follow physical lines, including quoted line breaks",
          "[personamem][csv]") {
  std::vector<long long> lines;
  const auto records = read_all("h1,h2\n\"x\ny\nz\",1\n\nlast,2\r\nend,3", &lines);
  REQUIRE(records.size() == 4);
  CHECK(lines == std::vector<long long>{1, 2, 6, 7});
}

TEST_CASE("csv: a UTF-8 byte order mark at the start is dropped", "[personamem][csv]") {
  CHECK(read_all("\xEF\xBB\xBFpersona_id,x\n1,2\n") == Records{{"persona_id", "x"}, {"1", "2"}});
  // Elsewhere it is ordinary text.
  CHECK(read_all("a,\xEF\xBB\xBF\n") == Records{{"a", "\xEF\xBB\xBF"}});
  // A partial BOM is put back untouched, so the field starts with it; being no UTF-8, it is
  // then refused like any other malformed byte.
  CHECK_THROWS_WITH(read_all("\xEF\xBBx\n"), Catch::Contains("not valid UTF-8 (byte 0 of the field)"));
}

TEST_CASE("csv: an unterminated quoted field is an error naming its line", "[personamem][csv]") {
  std::istringstream in("a,b\nc,\"open\nstill open\n");
  CsvReader reader(in);
  std::vector<std::string> fields;
  REQUIRE(reader.next(fields));
  try {
    reader.next(fields);
    FAIL("expected CsvError");
  } catch (const CsvError& e) {
    CHECK(e.line == 2);
    CHECK_THAT(e.what(), Catch::Contains("quoted field is not closed"));
  }
}

// Found by fuzz_personamem_load: invalid UTF-8 in a cell flowed into the prompt, where the
// request-cache key's JSON dump threw nlohmann's type_error.316. Upstream opens the CSV as
// UTF-8 text (UnicodeDecodeError); perseval now refuses such a record with its line.
TEST_CASE("csv: a field that is not valid UTF-8 is an error naming its line and field",
          "[personamem][csv][fuzz]") {
  auto error_of = [](const std::string& text) {
    std::istringstream in(text);
    CsvReader reader(in);
    std::vector<std::string> fields;
    try {
      while (reader.next(fields)) {
      }
    } catch (const CsvError& e) {
      return std::to_string(e.line) + ": " + e.what();
    }
    return std::string();
  };
  // Well-formed multi-byte text of every length passes.
  CHECK(error_of("h\n\xC3\xA9,\xE2\x82\xAC,\xF0\x9F\x98\x80,\xEF\xBB\xBF\xF4\x8F\xBF\xBF\n") == "");
  CHECK_THAT(error_of("a,b\nok,x\xC3\n"), Catch::StartsWith("2: field 2 is not valid UTF-8 (byte 1"));
  CHECK_THAT(error_of("a\n\"q\n\x91\"\n"), Catch::StartsWith("2: field 1 is not valid UTF-8 (byte 2"));
  CHECK_THAT(error_of("\xC0\xAF\n"), Catch::StartsWith("1: field 1 is not valid UTF-8"));  // overlong
  CHECK_THAT(error_of("\xED\xA0\x80\n"), Catch::StartsWith("1: field 1"));   // a surrogate
  CHECK_THAT(error_of("\xF4\x90\x80\x80\n"), Catch::StartsWith("1: field 1"));  // above U+10FFFF
  CHECK_THAT(error_of("\xE2\x82,x\n"), Catch::StartsWith("1: field 1"));  // cut short
}
