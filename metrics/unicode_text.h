// Python 3 Unicode word semantics on UTF-8 text: the `re` classes `\w`, `\d`, `\s` and `\b`
// (str patterns, no flags), str.lower(), str.split(), str.isprintable(). The official
// scorers are Python, where these are Unicode-aware: "café" is one `\w+` word, a no-break
// space separates words, "ΟΔΟΣ".lower() ends in a final sigma.
//
// Character data comes from utf8proc (Debian's libutf8proc, Unicode 15.0 in Debian 12);
// CPython 3.11 uses Unicode 14.0, so code points assigned in 15.0 may differ. Checked
// against CPython 3.11 over every code point: `\w`, `\d`, isprintable and lower() agree
// except on the 4,482 code points new in Unicode 15.0 (unassigned in 14.0).
//
// Invalid UTF-8 bytes (they never occur in JSON-decoded text) are treated one byte at a
// time as a code point that is not a word character, not a digit, not whitespace and not
// printable, and are copied unchanged by python_lower.
//
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace perseval::metrics {

// `\w`: true when Python's `re.match(r"\w", c)` matches, i.e. c.isalnum() or c == "_":
// letters (Lu, Ll, Lt, Lm, Lo) and numbers (Nd, Nl, No). Combining marks (Mn, Mc) are not
// word characters, so a decomposed "é" (e + U+0301) splits a `\w+` run.
bool python_is_word_char(char32_t cp);

// `\d`: Unicode decimal digits (category Nd), e.g. "٣" (Arabic-Indic three), "５".
bool python_is_decimal(char32_t cp);

// str.isprintable() for one code point: false for categories Cc, Cf, Cs, Co, Cn, Zl, Zp and
// for Zs other than U+0020. repr() escapes exactly the non-printable code points.
bool python_isprintable(char32_t cp);

// `\b` at byte offset `pos` of `text`: true when exactly one of the code points before and
// after `pos` is a word character (python_is_word_char). Python's rule that `\b` never
// matches inside an empty string is kept. `pos` must lie on a code point boundary
// (0 <= pos <= text.size()).
bool python_word_boundary(std::string_view text, std::size_t pos);

// str.lower(): Unicode simple lower-case mappings plus CPython's two special cases,
// U+0130 "İ" → "i̇" (i + U+0307) and the final-sigma rule (Σ → ς at the end of a word,
// σ elsewhere). No locale-dependent rules (Python has none).
std::string python_lower(std::string_view text);

// str.split() with no argument: splits on runs of Unicode whitespace (str.isspace(),
// e.g. U+00A0, U+3000, \x1c), drops empty pieces.
std::vector<std::string> python_split(std::string_view text);

// re.findall(r"\w+", text): the maximal runs of word characters, in order.
std::vector<std::string> python_word_runs(std::string_view text);

// Appends the UTF-8 encoding of `cp` (<= U+10FFFF, not a surrogate) to `out`.
void append_utf8(std::string& out, char32_t cp);

}  // namespace perseval::metrics
