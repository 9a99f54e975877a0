// Reading PERSONAMEM's `all_options` cells: a list of four strings written either as JSON or
// as a Python list repr (each element single-quoted unless it contains ' and no ", escapes
// as Python writes them), so quote styles mix within one list (personamem.md §2.1).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace perseval::personamem {

// A literal that cannot be read. `offset` is the 0-based byte offset in the literal where
// reading failed; what() says what was expected there.
class LiteralError : public std::runtime_error {
 public:
  LiteralError(const std::string& what, size_t offset) : std::runtime_error(what), offset(offset) {}
  size_t offset;
};

// Parses `[s1, s2, ...]` where every element is a '...' or "..." string literal, and returns
// the decoded strings as UTF-8. Whitespace (including newlines) may surround every token and
// a trailing comma is allowed, as in Python. Escapes follow Python string literals: \\ \' \"
// \a \b \f \n \r \t \v, \<newline> (line continuation), octal \o..\ooo, \xhh, \uXXXX,
// \UXXXXXXXX; an unknown escape keeps its backslash ("\d" stays \d). A \uD800-\uDBFF escape
// followed by a \uDC00-\uDFFF escape becomes one code point (as JSON means it); a lone
// surrogate becomes U+FFFD.
//
// Tolerated beyond Python: a quote of the element's own kind that is not followed (after
// optional whitespace) by ',', ']', another quote or the end is taken as part of the text, so
// `'It's'` reads as It's; valid literals are unaffected because there a closing quote is
// always followed by ',' or ']'. Raw newlines inside an element are kept. Not supported:
// implicit concatenation ('a' 'b') and string prefixes (u'', r'').
//
// Throws LiteralError for anything else: no '[', an element that is not a string literal, a
// missing ',' or ']', an unterminated string, malformed \x \u \U escapes, \N{...} (named
// escapes need the Unicode name table), or text after the closing ']'.
std::vector<std::string> parse_python_string_list(std::string_view literal);

}  // namespace perseval::personamem
