// Escaping untrusted text for the HTML report.
#include <catch2/catch.hpp>

#include "reports/html_escape.h"

using namespace perseval;
using namespace perseval::report;

TEST_CASE("escape_html replaces the five special characters", "[report][escape]") {
  CHECK(escape_html("a & b < c > d \" e ' f") == "a &amp; b &lt; c &gt; d &quot; e &#39; f");
  CHECK(escape_html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(escape_html("&amp;") == "&amp;amp;");  // already-escaped text is escaped again
  CHECK(escape_html("") == "");
  CHECK(escape_html("caf\xC3\xA9 \xF0\x9F\x98\x80") == "caf\xC3\xA9 \xF0\x9F\x98\x80");  // UTF-8 kept
}

TEST_CASE("sanitize_utf8 replaces malformed bytes and control characters", "[report][escape]") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(sanitize_utf8("ok\xFFok") == "ok" + fffd + "ok");
  CHECK(sanitize_utf8("\xC0\xAF") == fffd + fffd);              // overlong '/'
  CHECK(sanitize_utf8("\xED\xA0\x80") == fffd + fffd + fffd);   // a UTF-16 surrogate
  CHECK(sanitize_utf8("cut \xE2\x82") == "cut " + fffd + fffd);  // truncated sequence
  CHECK(sanitize_utf8(std::string("a\0b\x01", 4)) == "a" + fffd + "b" + fffd);
  CHECK(sanitize_utf8("tab\tnl\ncr\r") == "tab\tnl\ncr\r");
  CHECK(escape_html("<\xFF>") == "&lt;" + fffd + "&gt;");
}

TEST_CASE("json_for_script cannot close its script element and parses back unchanged", "[report][escape]") {
  const std::string hostile = "</script><script>alert(1)</script><!-- & \xE2\x80\xA8 \xE2\x80\xA9 '\"";
  const json value = {{"text", hostile}, {"list", {1, "a<b"}}};
  const std::string text = json_for_script(value);
  CHECK(text.find('<') == std::string::npos);
  CHECK(text.find('>') == std::string::npos);
  CHECK(text.find('&') == std::string::npos);
  CHECK(text.find("\xE2\x80\xA8") == std::string::npos);
  CHECK(text.find("\xE2\x80\xA9") == std::string::npos);
  CHECK(text.find("\\u003c/script\\u003e") != std::string::npos);
  CHECK(text.find("\\u2028") != std::string::npos);
  CHECK(json::parse(text) == value);
}

TEST_CASE("json_for_script replaces malformed UTF-8 instead of throwing", "[report][escape]") {
  const std::string text = json_for_script(json{{"bad", "x\xFFy"}});
  CHECK(json::parse(text)["bad"] == "x\xEF\xBF\xBDy");
}

TEST_CASE("truncate_text counts code points and never splits one", "[report][escape]") {
  const TruncatedText short_text = truncate_text("hello", 10);
  CHECK(short_text.text == "hello");
  CHECK_FALSE(short_text.truncated);
  CHECK(short_text.original_chars == 5);

  const TruncatedText cut = truncate_text("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3);  // four 2-byte chars
  CHECK(cut.text == "\xC3\xA9\xC3\xA9\xC3\xA9");
  CHECK(cut.truncated);
  CHECK(cut.original_chars == 4);

  CHECK(truncate_text("abc", 3).truncated == false);
  CHECK(truncate_text("abcd", 0).text == "abcd");  // 0: no limit
  CHECK(truncate_text("ab\xFF", 10).text == "ab\xEF\xBF\xBD");
}

TEST_CASE("html_element escapes its text", "[report][escape]") {
  CHECK(html_element("td", "<b>") == "<td>&lt;b&gt;</td>");
  CHECK(html_element("span", "x", "v") == "<span class=\"v\">x</span>");
}
