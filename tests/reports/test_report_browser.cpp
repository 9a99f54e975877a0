// The HTML report in a real browser: Debian's chromium, headless, loads the page from
// file:// and dumps the DOM after the script ran. `make test` installs chromium
// (scripts/install-deps.sh --test), so a missing browser is a failure, not a skip.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "reports/html_report.h"
#include "tests/reports/report_test_support.h"

using namespace perseval;
using Catch::Matchers::Contains;
using test::TempDir;

namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

// Loads `html_path` in headless chromium (private profile under `dir`, 60 s hard timeout)
// and returns the serialized DOM after the page's script ran.
std::string dump_dom(const std::string& html_path, const TempDir& dir) {
  INFO("chromium is needed for this test: run `sh scripts/install-deps.sh --test` "
       "(apt-get install chromium)");
  REQUIRE(std::filesystem::exists(kChromium));
  const std::string command = std::string("timeout 60 ") + kChromium +
                              " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
                              " --disable-extensions --user-data-dir='" + dir.file("chromium-profile") +
                              "' --virtual-time-budget=2000 --dump-dom 'file://" + html_path + "' 2>'" +
                              dir.file("chromium.log") + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string dom;
  char buffer[65536];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) dom.append(buffer, n);
  const int status = ::pclose(pipe);
  INFO("chromium stderr: " << test::read_text_file(dir.file("chromium.log")).substr(0, 2000));
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  REQUIRE_THAT(dom, Contains("</html>"));
  return dom;
}

std::string write_report(const std::string& db, const TempDir& dir) {
  auto store = Store::open(db);
  const std::string out = dir.file("report.html");
  report::write_html_report(*store, {}, out);
  return out;
}

// The <body ...> start tag of a DOM dump.
std::string body_tag(const std::string& dom) {
  const size_t start = dom.find("<body");
  return start == std::string::npos ? "" : dom.substr(start, dom.find('>', start) - start + 1);
}

}  // namespace

TEST_CASE("browser: the report's script runs, renders samples and loads nothing external", "[report][browser]") {
  TempDir dir;
  const std::string db = dir.file("results.db");
  test::write_seed_db(db, test::standard_seed_runs());
  const std::string path = write_report(db, dir);
  const std::string html = test::read_text_file(path);
  for (const auto& url : test::url_attributes(html)) {
    INFO(url);
    CHECK(url.rfind("#", 0) == 0);  // in-page anchors only: no http(s), no file, no data
  }
  CHECK(html.find("src=\"http") == std::string::npos);
  CHECK(html.find("href=\"http") == std::string::npos);

  const std::string dom = dump_dom(path, dir);
  const std::string body = body_tag(dom);
  INFO(body);
  CHECK_THAT(body, Contains("data-report-ready=\"1\""));
  CHECK(body.find("data-report-error") == std::string::npos);
  // Leaderboard rows and values.
  CHECK_THAT(dom, Contains(">lamp-2</a></th>"));
  CHECK_THAT(dom, Contains(">lamp-3</a></th>"));
  CHECK_THAT(dom, Contains("<span class=\"v\">0.875</span>"));
  CHECK_THAT(dom, Contains("<span class=\"ci\">[0.775, 0.975]</span>"));
  CHECK_THAT(dom, Contains("<th>openai:model=qwen</th>"));
  // The script filled the sample table (first page of 48 samples) and the filters.
  CHECK_THAT(dom, Contains("<td class=\"id\">sample-0</td>"));
  CHECK_THAT(dom, Contains("<td class=\"err\">HTTP 503: overloaded (gave up after 6 attempts)</td>"));
  CHECK_THAT(dom, Contains("1\xE2\x80\x93" "48 of 48 matching samples"));
  CHECK_THAT(dom, Contains("<option value=\"lamp-3\">lamp-3</option>"));
  CHECK_THAT(dom, Contains("<option value=\"openai:model=qwen\">openai:model=qwen</option>"));
}

TEST_CASE("browser: hostile data in outputs, names and notes stays text", "[report][browser][security]") {
  TempDir dir;
  const std::string db = dir.file("hostile.db");
  test::write_seed_db(db, test::hostile_seed_runs());
  const std::string path = write_report(db, dir);
  const std::string dom = dump_dom(path, dir);
  const std::string body = body_tag(dom);
  INFO(body);

  CHECK_THAT(body, Contains("data-report-ready=\"1\""));   // the hostile data did not break the script
  CHECK(body.find("data-report-error") == std::string::npos);
  CHECK(body.find("data-pwned") == std::string::npos);
  CHECK(dom.find(" data-pwned=\"") == std::string::npos);  // on no element at all
  CHECK_THAT(dom, Contains("<title>perseval report</title>"));
  CHECK(dom.find("<title>pwned</title>") == std::string::npos);
  // No element came from the data: no <img>, no extra <script>, no javascript: link.
  CHECK(dom.find("<img") == std::string::npos);
  CHECK(dom.find(test::kScriptAttack) == std::string::npos);
  for (const auto& url : test::url_attributes(dom)) {
    INFO(url);
    CHECK(url.rfind("#", 0) == 0);
  }
  size_t elements = 0;
  for (const auto& tag : test::html_tags(dom)) {
    ++elements;
    CHECK(tag.name != "img");
    for (const auto& [attribute, value] : tag.attributes) {
      INFO(tag.name << " " << attribute << "=" << value);
      CHECK(attribute.rfind("on", 0) != 0);  // no event handler attribute on any element
    }
  }
  CHECK(elements > 100);
  // The strings are there, as text: in the static sections and in the script-rendered rows.
  const std::string script_text = "&lt;script&gt;document.title='pwned'&lt;/script&gt;";
  const std::string img_text = "&lt;img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"&gt;";
  CHECK_THAT(dom, Contains("<td class=\"txt\">out " + script_text + img_text + "javascript:alert(1) 1</td>"));
  CHECK_THAT(dom, Contains("<td class=\"u\">user" + script_text + "1</td>"));
  CHECK_THAT(dom, Contains("<td class=\"err\">error " + script_text + img_text + "javascript:alert(1)</td>"));
  CHECK_THAT(dom, Contains("<th>evil" + script_text + img_text + "javascript:alert(1)</th>"));  // model column
  CHECK_THAT(dom, Contains("lamp-x" + script_text));                                             // task name
  CHECK_THAT(dom, Contains("<th>notes.link</th>"));
}
