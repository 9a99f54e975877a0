#include <catch2/catch.hpp>

#include "harness/core/terminal_text.h"

using namespace perseval;

TEST_CASE("terminal_safe makes C0, DEL and C1 controls visible and keeps text and tabs",
          "[core][security]") {
  CHECK(terminal_safe("plain text\twith tab, é and 日本") == "plain text\twith tab, é and 日本");
  CHECK(terminal_safe("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(terminal_safe("title\x1b]0;x\x07") == "title\\x1b]0;x\\x07");
  CHECK(terminal_safe("a\nb\rc") == "a\\x0ab\\x0dc");
  CHECK(terminal_safe(std::string("nul\0end", 7)) == "nul\\x00end");
  CHECK(terminal_safe("del\x7f") == "del\\x7f");
  // U+009B (CSI as a C1 control) is 0xC2 0x9B in UTF-8; U+00A0 (0xC2 0xA0) is printable.
  CHECK(terminal_safe("\xc2\x9b" "2J") == "\\u009b2J");
  CHECK(terminal_safe("nb\xc2\xa0sp") == "nb\xc2\xa0sp");
  CHECK(terminal_safe("lone lead \xc2") == "lone lead \xc2");
  CHECK(terminal_safe("back\\slash") == "back\\slash");
}
