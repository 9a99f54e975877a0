// Internal to metrics/: a strict UTF-8 decoder shared by python_text.cpp and rouge.cpp.
// Strict (no overlongs, surrogates or code points above U+10FFFF) so that a malformed byte
// can never be mistaken for whitespace or a letter; callers treat kInvalidCodePoint as
// "some other character".
#pragma once

#include <cstddef>
#include <string_view>

namespace perseval::metrics::utf8 {

inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFFu;

// Decodes the code point starting at text[pos] and advances pos past it. A malformed or
// truncated sequence yields kInvalidCodePoint and advances by exactly one byte, so decoding
// resynchronises on the next byte. Precondition: pos < text.size().
inline char32_t decode(std::string_view text, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min_value = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F, min_value = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F, min_value = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07, min_value = 0x10000;
  } else {
    ++pos;  // continuation byte, 0xC0/0xC1 (always overlong) or 0xF5..0xFF
    return kInvalidCodePoint;
  }
  if (pos + length > text.size()) {
    ++pos;
    return kInvalidCodePoint;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte(pos + i);
    if ((next & 0xC0) != 0x80) {
      ++pos;
      return kInvalidCodePoint;
    }
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < min_value || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++pos;
    return kInvalidCodePoint;
  }
  pos += length;
  return cp;
}

}  // namespace perseval::metrics::utf8
