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
  // A partial BOM is put back untouched.
  CHECK(read_all("\xEF\xBBx\n") == Records{{"\xEF\xBBx"}});
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
