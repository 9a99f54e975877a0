#include "tasks/retrieval/whitespace.h"

#include "metrics/python_text.h"

namespace perseval::retrieval {

namespace {

// Decodes one UTF-8 code point starting at `i` and advances `i`. A malformed sequence
// yields U+FFFD for its first byte, which no whitespace class contains.
char32_t next_code_point(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  size_t len = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  for (size_t j = 1; j < len; ++j) {
    const auto b = static_cast<unsigned char>(s[i + j]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += len;
  return cp;
}

// Calls `emit(begin, end)` for every whitespace-separated word of `text`; stops early when
// `emit` returns false.
template <typename Emit>
void for_each_word(std::string_view text, Emit&& emit) {
  constexpr size_t none = std::string_view::npos;
  size_t i = 0;
  size_t word_start = none;
  while (i < text.size()) {
    const size_t at = i;
    const auto byte = static_cast<unsigned char>(text[i]);
    // ASCII bytes (most text) are classified inline: Python's ASCII whitespace is
    // \t \n \v \f \r, \x1c-\x1f and the space.
    const bool space = byte < 0x80 ? (++i, (byte >= 0x9 && byte <= 0xD) || (byte >= 0x1C && byte <= 0x20))
                                   : metrics::python_isspace(next_code_point(text, i));
    if (space) {
      if (word_start != none) {
        if (!emit(word_start, at)) return;
        word_start = none;
      }
    } else if (word_start == none) {
      word_start = at;
    }
  }
  if (word_start != none) emit(word_start, text.size());
}

}  // namespace

std::vector<std::string> whitespace_split(std::string_view text) {
  std::vector<std::string> out;
  for_each_word(text, [&](size_t b, size_t e) {
    out.emplace_back(text.substr(b, e - b));
    return true;
  });
  return out;
}

size_t whitespace_word_count(std::string_view text) {
  size_t n = 0;
  for_each_word(text, [&](size_t, size_t) {
    ++n;
    return true;
  });
  return n;
}

std::string_view whitespace_prefix(std::string_view text, size_t n_words) {
  if (n_words == 0) return text.substr(0, 0);
  // Only cut when an (n+1)-th word exists, so a text that fits is returned verbatim.
  size_t seen = 0;
  size_t end = text.size();
  bool cut = false;
  for_each_word(text, [&](size_t, size_t e) {
    ++seen;
    if (seen == n_words) end = e;
    if (seen > n_words) {
      cut = true;
      return false;
    }
    return true;
  });
  return cut ? text.substr(0, end) : text;
}

}  // namespace perseval::retrieval
