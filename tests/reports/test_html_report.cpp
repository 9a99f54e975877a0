// The HTML report end to end: a real SQLite database written through Store, the report
// generated from it, its content checked; the `perseval report` command.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "harness/core/errors.h"
#include "reports/html_report.h"
#include "tests/harness/subprocess_support.h"
#include "tests/reports/report_test_support.h"

using namespace perseval;
using namespace perseval::report;
using Catch::Matchers::Contains;
using test::TempDir;

namespace {

std::string generate(const std::string& db, const ReportOptions& options, const TempDir& dir) {
  auto store = Store::open(db);
  const std::string out = dir.file("out/report.html");
  write_html_report(*store, options, out);
  return test::read_text_file(out);
}

// The part of the page between `from` and the next `to`.
std::string between(const std::string& html, const std::string& from, const std::string& to) {
  const size_t start = html.find(from);
  if (start == std::string::npos) return "";
  const size_t end = html.find(to, start + from.size());
  return html.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

TEST_CASE("report shows the leaderboard with values, intervals and ranks", "[report]") {
  TempDir dir;
  const std::string db = dir.file("results.db");
  test::write_seed_db(db, test::standard_seed_runs());
  const std::string html = generate(db, {}, dir);

  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK_THAT(html, Contains("Content-Security-Policy"));
  const std::string board = between(html, "<section id=\"leaderboard\">", "</section>");
  REQUIRE_FALSE(board.empty());
  CHECK_THAT(board, Contains("<th>baseline:kind=majority</th>"));
  CHECK_THAT(board, Contains("<th>openai:model=qwen</th>"));
  CHECK_THAT(board, Contains(">lamp-2</a>"));
  CHECK_THAT(board, Contains(">lamp-3</a>"));
  CHECK_THAT(board, Contains("accuracy \xE2\x86\x91"));
  CHECK_THAT(board, Contains("MAE \xE2\x86\x93"));
  // lamp-2: qwen 0.875 is #1; lamp-3 (MAE, lower is better): qwen 0.500 is #1.
  CHECK_THAT(board, Contains("<span class=\"v\">0.875</span> <span class=\"ci\">[0.775, 0.975]</span> "
                             "<span class=\"rank\">#1</span>"));
  CHECK_THAT(board, Contains("<span class=\"v\">0.625</span> <span class=\"ci\">[0.525, 0.725]</span> "
                             "<span class=\"rank\">#2</span>"));
  CHECK_THAT(board, Contains("<span class=\"v\">0.500</span> <span class=\"ci\">[0.400, 0.600]</span> "
                             "<span class=\"rank\">#1</span>"));
  CHECK_THAT(board, Contains("n=12"));
  CHECK_THAT(board, Contains("1 errors"));
}

TEST_CASE("report shows slices, a numeric slice chart and the worst users per task", "[report]") {
  TempDir dir;
  const std::string db = dir.file("results.db");
  test::write_seed_db(db, test::standard_seed_runs());
  const std::string html = generate(db, {}, dir);

  const std::string lamp3 = between(html, "<section class=\"task\" id=\"task-1\">", "</section>");
  REQUIRE_FALSE(lamp3.empty());
  CHECK_THAT(lamp3, Contains("<h3>lamp-3</h3>"));
  CHECK_THAT(lamp3, Contains("lamp-3: MAE by model (95% interval)"));  // the bar chart
  CHECK_THAT(lamp3, Contains("<code>distance</code> (4 values, numeric)"));
  CHECK_THAT(lamp3, Contains("<code>tier</code> (2 values)"));
  CHECK_THAT(lamp3, Contains("<polyline"));  // the distance line chart
  CHECK_THAT(lamp3, Contains("lamp-3: MAE by distance"));
  CHECK(lamp3.find("MAE by user") == std::string::npos);  // user ids are not a quantity
  CHECK(lamp3.find("MAE by tier") == std::string::npos);
  // tier easy of the qwen run: 0.5 + 0.05 with its interval and n.
  CHECK_THAT(lamp3, Contains("<th>easy</th>"));
  CHECK_THAT(lamp3, Contains("<td class=\"num\">0.550</td><td class=\"ci\">[0.450, 0.650]</td>"
                             "<td class=\"num\">6</td>"));
  // Worst users for MAE (lower is better) are the highest: u5 first.
  const std::string worst = between(lamp3, "<h4>Worst users</h4>", "</table>");
  REQUIRE_FALSE(worst.empty());
  CHECK_THAT(worst, Contains("highest"));
  CHECK(worst.find("<td>u5</td>") < worst.find("<td>u4</td>"));
  const std::string lamp2 = between(html, "<section class=\"task\" id=\"task-0\">", "</section>");
  const std::string worst2 = between(lamp2, "<h4>Worst users</h4>", "</table>");
  CHECK_THAT(worst2, Contains("lowest"));
  CHECK(worst2.find("<td>u0</td>") < worst2.find("<td>u1</td>"));
}

TEST_CASE("report shows every run's configuration, provenance and usage", "[report]") {
  TempDir dir;
  const std::string db = dir.file("results.db");
  test::write_seed_db(db, test::standard_seed_runs());
  const std::string html = generate(db, {}, dir);

  const std::string runs = between(html, "<section id=\"runs\">", "</section>");
  for (const char* id : {"run-a1", "run-a2", "run-b1", "run-b2"}) CHECK_THAT(runs, Contains(id));
  CHECK_THAT(runs, Contains("<th>git revision</th><td>deadbeef1234</td>"));
  CHECK_THAT(runs, Contains("<th>harness version</th><td>0.1.0</td>"));
  CHECK_THAT(runs, Contains("<th>dataset fingerprint</th><td>abcdef0123456789</td>"));
  CHECK_THAT(runs, Contains("<th>seed</th><td>18446744073709551615</td>"));
  CHECK_THAT(runs, Contains("<th>task spec</th><td>lamp-3:k=1</td>"));
  CHECK_THAT(runs, Contains("&quot;max_tokens&quot;: 64"));  // generation config
  CHECK_THAT(runs, Contains("&quot;model&quot;: &quot;gpt-4o-mini&quot;"));  // model identity
  CHECK_THAT(runs, Contains("<th>status</th><td>finished</td>"));
  CHECK_THAT(runs, Contains("<th>wall time</th><td>61.5 s</td>"));
  CHECK_THAT(runs, Contains("<th>prompt tokens</th><td>12,345</td>"));
  CHECK_THAT(runs, Contains("<th>cost</th><td>$0.0421</td>"));
  CHECK_THAT(runs, Contains("p50 812 ms"));
  CHECK_THAT(runs, Contains("p99 2400 ms"));
  CHECK_THAT(runs, Contains("<th>errors</th><td>1</td>"));
  CHECK_THAT(runs, Contains("<td>n_errors</td>"));
}

TEST_CASE("report embeds every sample for the browser, errors included", "[report]") {
  TempDir dir;
  const std::string db = dir.file("results.db");
  test::write_seed_db(db, test::standard_seed_runs());
  const std::string html = generate(db, {}, dir);

  const json data = test::embedded_sample_data(html);
  REQUIRE(data.is_object());
  REQUIRE(data["runs"].size() == 4);
  REQUIRE(data["samples"].size() == 48);
  std::set<std::string> models;
  for (const auto& run : data["runs"]) models.insert(run["model"].get<std::string>());
  CHECK(models == std::set<std::string>{"baseline:kind=majority", "openai:model=qwen"});
  const json& first = data["samples"][0];  // [run, id, user, target, output, parsed, scores, error]
  CHECK(first[1] == "sample-0");
  CHECK(first[2] == "u0");
  CHECK(first[3] == "[15]");
  CHECK(first[7] == "HTTP 503: overloaded (gave up after 6 attempts)");
  const json& second = data["samples"][1];
  CHECK(second[4] == "answer 1");
  CHECK(second[6] == "accuracy=1 f1=0.5");
  CHECK(second[7] == "");
  CHECK_THAT(html, Contains("48 of 48 stored samples are embedded"));
  CHECK(html.find("Not every sample is embedded") == std::string::npos);
  CHECK_THAT(html, Contains("id=\"sample-search\""));
  CHECK_THAT(html, Contains("id=\"filter-errors\""));
}

TEST_CASE("report caps samples per run, keeps failed ones first and says so", "[report]") {
  TempDir dir;
  const std::string db = dir.file("results.db");
  auto seeds = test::standard_seed_runs();
  for (auto& s : seeds) {
    s.errors = 3;
    s.output_prefix = std::string(50, 'x');
  }
  test::write_seed_db(db, seeds);
  ReportOptions options;
  options.max_samples_per_run = 5;
  options.max_text_chars = 20;
  const std::string html = generate(db, options, dir);

  CHECK_THAT(html, Contains("showing 5 of 12 samples of run <code>run-a1</code> (lamp-2 \xC2\xB7 baseline:kind=majority)"));
  CHECK_THAT(html, Contains("20 of 48 stored samples are embedded"));
  CHECK_THAT(html, Contains("characters were truncated"));
  const json data = test::embedded_sample_data(html);
  REQUIRE(data["samples"].size() == 20);
  std::vector<std::string> ids;
  for (const auto& s : data["samples"])
    if (s[0] == 0) ids.push_back(s[1]);
  CHECK(ids == std::vector<std::string>{"sample-0", "sample-1", "sample-2", "sample-3", "sample-4"});
  const std::string output = data["samples"][3][4];
  CHECK(output == std::string(20, 'x') + " \xE2\x80\xA6 [truncated: 52 chars]");
}

TEST_CASE("report --runs selects runs and rejects unknown ids", "[report]") {
  TempDir dir;
  const std::string db = dir.file("results.db");
  test::write_seed_db(db, test::standard_seed_runs());
  ReportOptions options;
  options.run_ids = {"run-b1"};
  const std::string html = generate(db, options, dir);
  const json data = test::embedded_sample_data(html);
  REQUIRE(data["runs"].size() == 1);
  CHECK(data["runs"][0]["run"] == "run-b1");
  CHECK(html.find("run-a2") == std::string::npos);
  CHECK(between(html, "<section id=\"leaderboard\">", "</section>").find("openai:model=qwen") == std::string::npos);

  options.run_ids = {"run-b1", "no-such-run"};
  auto store = Store::open(db);
  CHECK_THROWS_AS(collect_report_data(*store, options), InputError);
  CHECK_THROWS_WITH(collect_report_data(*store, options), Contains("no-such-run"));
}

TEST_CASE("report of an empty database is still a valid page", "[report]") {
  TempDir dir;
  const std::string db = dir.file("empty.db");
  Store::open(db);
  const std::string html = generate(db, {}, dir);
  CHECK_THAT(html, Contains("No finished run"));
  CHECK_THAT(html, Contains("</html>"));
  CHECK(test::embedded_sample_data(html)["samples"].empty());
}

TEST_CASE("report escapes hostile task, model, user, output, error and notes text", "[report][security]") {
  TempDir dir;
  const std::string db = dir.file("hostile.db");
  test::write_seed_db(db, test::hostile_seed_runs());
  const std::string html = generate(db, {}, dir);

  CHECK(html.find(test::kScriptAttack) == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<b>evil") == std::string::npos);
  CHECK_THAT(html, Contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));
  CHECK_THAT(html, Contains("&lt;img src=x onerror=&quot;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&quot;&gt;"));
  CHECK_THAT(html, Contains("\\u003cscript\\u003edocument.title='pwned'\\u003c/script\\u003e"));  // JSON block
  // Only our two script elements; only known tags; no URL attribute but in-page anchors.
  std::set<std::string> names;
  int scripts = 0;
  const auto tags = test::html_tags(html);
  for (const auto& tag : tags) {
    names.insert(tag.name);
    if (tag.name == "script") ++scripts;
    for (const auto& [attribute, value] : tag.attributes) {
      INFO(tag.name << " " << attribute << "=" << value);
      CHECK(attribute.rfind("on", 0) != 0);  // no event handler attribute anywhere
    }
  }
  CHECK(names.count("section") > 0);  // the parser did see the page
  CHECK(scripts == 2);
  for (const char* banned : {"img", "iframe", "object", "embed", "link", "base", "form", "image", "use", "foreignobject"})
    CHECK(names.count(banned) == 0);
  const auto urls = test::url_attributes(html);
  CHECK_FALSE(urls.empty());
  for (const auto& url : urls) {
    INFO(url);
    CHECK(url.rfind("#", 0) == 0);
  }
  // The sample data still round-trips exactly.
  const json data = test::embedded_sample_data(html);
  REQUIRE(data["samples"].size() == 24);
  CHECK(data["samples"][1][4] == "out " + test::kAllAttacks + " 1");
}

TEST_CASE("cli: perseval report writes the page and rejects bad input with exit 2", "[report][cli]") {
  TempDir dir;
  const std::string db = dir.file("results.db");
  test::write_seed_db(db, test::standard_seed_runs());
  const std::string out = dir.file("site/report.html");

  auto ok = test::run_perseval({"report", "--db", db, "-o", out, "--runs", "run-a1,run-a2"}, dir.path().string());
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  REQUIRE(std::filesystem::exists(out));
  CHECK_THAT(ok.err, Contains("2 runs"));
  CHECK(test::embedded_sample_data(test::read_text_file(out))["runs"].size() == 2);

  const std::string missing = dir.file("missing.db");
  auto no_db = test::run_perseval({"report", "--db", missing, "-o", out}, dir.path().string());
  CHECK(no_db.exit_code == 2);
  CHECK_THAT(no_db.err, Contains("missing.db"));
  CHECK_FALSE(std::filesystem::exists(missing));  // not created as a side effect

  auto unknown = test::run_perseval({"report", "--db", db, "-o", out, "--runs", "run-a1,nope"}, dir.path().string());
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Contains("no run 'nope'"));

  auto bad_flag = test::run_perseval({"report", "--db", db, "--max-samples", "-3"}, dir.path().string());
  CHECK(bad_flag.exit_code == 2);
}

TEST_CASE("report history: iso_days parses UTC times and rejects garbage", "[report]") {
  CHECK(perseval::report::iso_days("1970-01-02T00:00:00Z") == 1.0);
  CHECK(perseval::report::iso_days("2026-11-27T12:00:00Z") - perseval::report::iso_days("2026-11-26T00:00:00Z") == 1.5);
  CHECK(std::isnan(perseval::report::iso_days("yesterday")));
}

TEST_CASE("report --compare adds the checkpoint comparison section", "[report][compare]") {
  perseval::test::TempDir dir;
  const std::string db = dir.file("c.db");
  auto demo = perseval::test::run_perseval({"demo", "--db", db, "--no-progress"}, dir.path().string());
  REQUIRE(demo.exit_code == 0);
  const std::string html_path = dir.file("c.html");
  auto made = perseval::test::run_perseval({"report", "--db", db, "-o", html_path, "--compare", "baseline:kind=majority",
                                            "--compare", "baseline:kind=random"},
                                           dir.path().string());
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  std::ifstream in(html_path);
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(html.find("<section id=\"compare\"><h2>Checkpoint comparison</h2>") != std::string::npos);
  CHECK(html.find("<a href=\"#compare\">Comparison</a>") != std::string::npos);
  CHECK(html.find("mcnemar_exact") != std::string::npos);  // accuracy is 0/1 per sample
  CHECK(html.find("lamp-2") != std::string::npos);
  auto lonely = perseval::test::run_perseval({"report", "--db", db, "-o", html_path, "--compare", "baseline:kind=majority"},
                                             dir.path().string());
  CHECK(lonely.exit_code == 2);
}

TEST_CASE("report draws the coverage-accuracy curve of a judge task", "[report]") {
  perseval::test::TempDir dir;
  const std::string db = dir.file("judge.db");
  perseval::test::write_seed_db(db, {{"run-j1", "personafeedback:certainty=1-100", "openai:model=judge"}});
  {
    auto store = Store::open(db);
    auto metrics = store->read_metrics("run-j1");
    // Thresholds 60/80/90: coverage falls as the judge must be surer; accuracy rises.
    const double coverage[] = {0.9, 0.6, 0.3}, accuracy[] = {0.7, 0.8, 0.95};
    const char* thresholds[] = {"60", "80", "90"};
    for (int i = 0; i < 3; ++i) {
      metrics.push_back({"", "", perseval::test::metric_value(std::string("coverage@") + thresholds[i], coverage[i], 12)});
      metrics.push_back({"", "", perseval::test::metric_value(std::string("sel_acc@") + thresholds[i], accuracy[i], 6)});
    }
    store->replace_metrics("run-j1", metrics);
  }
  const std::string path = dir.file("judge.html");
  auto made = perseval::test::run_perseval({"report", "--db", db, "-o", path}, dir.path().string());
  REQUIRE(made.exit_code == 0);
  const std::string html = perseval::test::read_text_file(path);
  CHECK(html.find("<h4>Coverage \xE2\x80\x93 accuracy</h4>") != std::string::npos);
  CHECK(html.find("selective accuracy") != std::string::npos);
  // A task without thresholds gets no such chart.
  perseval::test::write_seed_db(dir.file("plain.db"), perseval::test::standard_seed_runs());
  auto plain = perseval::test::run_perseval({"report", "--db", dir.file("plain.db"), "-o", dir.file("plain.html")},
                                            dir.path().string());
  REQUIRE(plain.exit_code == 0);
  CHECK(perseval::test::read_text_file(dir.file("plain.html")).find("Coverage \xE2\x80\x93 accuracy") == std::string::npos);
}
