// Splits an `exec` adapter's `cmd` into argv the way a POSIX shell splits plain words and
// simple quotes, without running a shell: no variables, globs, pipes or redirections.
#pragma once

#include <string>
#include <vector>

namespace perseval {

// Splits `text` into words. Blanks (space, tab, newline) separate words; '…' keeps its
// contents literally; "…" keeps its contents except that a backslash escapes `"`, `\`, `$`
// and a backquote; outside quotes a backslash makes the next character literal. Quotes
// join with adjacent text (`--name='a b'` is one word) and `''` is an empty word.
// Everything else (`$HOME`, `*`, `|`, `>`) is passed on literally.
// Returns at least one word. Throws std::invalid_argument on an unterminated quote or a
// text with no words. Pure and thread-safe.
std::vector<std::string> split_command_line(const std::string& text);

}  // namespace perseval
