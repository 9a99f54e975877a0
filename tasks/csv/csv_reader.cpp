#include "tasks/csv/csv_reader.h"

namespace perseval::csv {

namespace {
constexpr int kEof = std::char_traits<char>::eof();
}

CsvReader::CsvReader(std::istream& in) : buf_(in.rdbuf()) {}

int CsvReader::peek() { return buf_ ? buf_->sgetc() : kEof; }

int CsvReader::get() {
  if (!buf_) return kEof;
  const int c = buf_->sbumpc();
  // "\r\n" counts once: the '\n' ends the line; a lone '\r' ends it by itself.
  if (c == '\n' || (c == '\r' && peek() != '\n')) ++line_;
  return c;
}

bool CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  if (first_) {
    first_ = false;
    if (peek() == 0xEF) {
      // Only a complete BOM is dropped; anything else is put back untouched.
      std::string seen;
      seen += static_cast<char>(buf_->sbumpc());
      if (peek() == 0xBB) {
        seen += static_cast<char>(buf_->sbumpc());
        if (peek() == 0xBF) {
          buf_->sbumpc();
          seen.clear();
        }
      }
      for (auto it = seen.rbegin(); it != seen.rend(); ++it) buf_->sputbackc(*it);
    }
  }
  // Skip empty lines (a record of zero bytes).
  int c = peek();
  while (c == '\n' || c == '\r') {
    get();
    c = peek();
  }
  if (c == kEof) return false;
  record_line_ = line_;

  std::string field;
  enum class State { start_field, in_field, in_quoted, quote_in_quoted } state = State::start_field;
  for (;;) {
    c = get();
    if (c == kEof) {
      if (state == State::in_quoted)
        throw CsvError("a quoted field is not closed before the end of the file", record_line_);
      fields.push_back(std::move(field));
      return true;
    }
    const char ch = static_cast<char>(c);
    switch (state) {
      case State::start_field:
        if (ch == '"') {
          state = State::in_quoted;
          break;
        }
        state = State::in_field;
        [[fallthrough]];
      case State::in_field:
      case State::quote_in_quoted:
        if (state == State::quote_in_quoted && ch == '"') {
          field += '"';  // a doubled quote inside a quoted field
          state = State::in_quoted;
        } else if (ch == ',') {
          fields.push_back(std::move(field));
          field.clear();
          state = State::start_field;
        } else if (ch == '\n' || ch == '\r') {
          if (ch == '\r' && peek() == '\n') get();
          fields.push_back(std::move(field));
          return true;
        } else {
          field += ch;  // also text after a closing quote, as Python's lenient mode does
          state = State::in_field;
        }
        break;
      case State::in_quoted:
        if (ch == '"')
          state = State::quote_in_quoted;
        else
          field += ch;
        break;
    }
  }
}

}  // namespace perseval::csv
