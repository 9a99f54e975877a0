// Untrusted text (model output, a model process's stderr, server error bodies) made safe to
// print on a terminal: escape sequences in it could otherwise recolour, hide or rewrite what
// the user sees (or set the window title).
#pragma once

#include <string>
#include <string_view>

namespace perseval {

// Returns `text` with every control character made visible as an escape: C0 controls other
// than tab, DEL and the C1 controls U+0080..U+009F (as UTF-8) become "\xHH" (C1 as "\u00HH").
// A backslash itself is left alone; printable UTF-8 (and malformed bytes >= 0xA0) pass
// unchanged. Newlines are escaped too, so the result is always one line. Pure.
std::string terminal_safe(std::string_view text);

}  // namespace perseval
