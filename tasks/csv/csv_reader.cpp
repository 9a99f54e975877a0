#include "tasks/csv/csv_reader.h"

#include <string_view>

namespace perseval::csv {

namespace {
constexpr int kEof = std::char_traits<char>::eof();

// The offset of the first byte of `text` that does not begin a well-formed UTF-8 sequence
// (RFC 3629: no overlong forms, surrogates or code points above U+10FFFF), or npos.
size_t invalid_utf8_offset(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t continuation = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuation = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      continuation = 2;
      if (lead == 0xE0) low = 0xA0;   // overlong
      if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      continuation = 3;
      if (lead == 0xF0) low = 0x90;   // overlong
      if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (text.size() - i <= continuation) return i;
    for (size_t k = 1; k <= continuation; ++k) {
      const auto byte = static_cast<unsigned char>(text[i + k]);
      if (byte < (k == 1 ? low : 0x80) || byte > (k == 1 ? high : 0xBF)) return i;
    }
    i += continuation + 1;
  }
  return std::string_view::npos;
}

}  // namespace

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
  if (!read_record(fields)) return false;
  for (size_t i = 0; i < fields.size(); ++i) {
    const size_t at = invalid_utf8_offset(fields[i]);
    if (at != std::string_view::npos)
      throw CsvError("field " + std::to_string(i + 1) + " is not valid UTF-8 (byte " +
                         std::to_string(at) + " of the field); the file must be UTF-8 text",
                     record_line_);
  }
  return true;
}

bool CsvReader::read_record(std::vector<std::string>& fields) {
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
