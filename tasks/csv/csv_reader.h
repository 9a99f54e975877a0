// A streaming reader for RFC-4180 CSV as Python's csv module (excel dialect, strict=False)
// reads it, because upstream benchmark scripts read their CSVs with csv.DictReader.
#pragma once

#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

namespace perseval::csv {

// Malformed CSV. `line` is the 1-based physical line where the offending record started.
class CsvError : public std::runtime_error {
 public:
  CsvError(const std::string& what, long long line) : std::runtime_error(what), line(line) {}
  long long line;
};

// Reads records one at a time from a stream it does not own; memory holds one record.
// Rules (those of Python's reader): fields are separated by ','; a field that starts with
// '"' is quoted and may hold ',', '"' doubled as '""', '\n' and '\r' verbatim; a record ends
// at "\n", "\r\n" or a lone "\r" outside quotes; a '"' inside an unquoted field is literal,
// and text after a closing quote is appended to the field (Python's lenient mode). Empty
// lines are skipped, as csv.DictReader skips them. One deliberate difference: a UTF-8 byte
// order mark at the very start is dropped (Python would glue it to the first header name).
// Not thread-safe; use one reader per stream.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in);
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Fills `fields` with the next record and returns true; returns false at the end of the
  // input. Throws CsvError when the input ends inside a quoted field (Python would silently
  // swallow the rest of the file into that field), or when a field is not valid UTF-8
  // (upstream opens its CSVs as UTF-8 text and stops with UnicodeDecodeError there; the
  // fields flow into prompts and JSON, which need valid UTF-8).
  bool next(std::vector<std::string>& fields);

  // The 1-based physical line on which the record last returned by next() started.
  long long line() const { return record_line_; }

 private:
  bool read_record(std::vector<std::string>& fields);  // next() without the UTF-8 check
  int get();  // next byte or EOF; counts physical lines
  int peek();

  std::streambuf* buf_;
  long long line_ = 1;  // physical line of the next unread byte
  long long record_line_ = 0;
  bool first_ = true;
};

}  // namespace perseval::csv
