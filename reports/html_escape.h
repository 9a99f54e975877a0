// Making untrusted text safe for an HTML page. Everything a report shows comes from the
// database (model outputs, targets, task and model names, notes) and is treated as hostile:
// it is always passed through one of these functions before it reaches the page.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "harness/core/types.h"

namespace perseval::report {

// `text` as valid UTF-8: every malformed byte and every C0 control character except tab,
// line feed and carriage return becomes U+FFFD. Never throws.
std::string sanitize_utf8(std::string_view text);

// `text` sanitized (see sanitize_utf8) with & < > " ' replaced by character references, safe
// both as an element's text and inside a double- or single-quoted attribute value.
std::string escape_html(std::string_view text);

// "<TAG class=\"CSS_CLASS\">escaped text</TAG>"; `tag` and `css_class` are trusted constants
// of the caller (never data), `text` is escaped. An empty css_class omits the attribute.
std::string html_element(const char* tag, std::string_view text, const char* css_class = "");

// `value` serialized for a <script type="application/json"> block: compact JSON whose
// invalid UTF-8 is replaced by U+FFFD, with <, >, & and U+2028/U+2029 written as \u escapes
// so the text can neither close the script element nor open a comment. JSON.parse reads it
// back unchanged.
std::string json_for_script(const json& value);

// A text cut to at most `max_chars` code points (of its sanitized form).
struct TruncatedText {
  std::string text;             // the kept prefix, valid UTF-8
  bool truncated = false;       // true when something was cut
  size_t original_chars = 0;    // code points in the whole text
};

// Cuts `text` (sanitized first) after `max_chars` code points, never inside a code point.
// max_chars == 0 means no limit.
TruncatedText truncate_text(std::string_view text, size_t max_chars);

}  // namespace perseval::report
