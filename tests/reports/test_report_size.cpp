// A report of 10,000 samples with long texts stays under 5 MB and says what it left out.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "reports/html_report.h"
#include "tests/reports/report_test_support.h"

using namespace perseval;
using Catch::Matchers::Contains;
using test::TempDir;

namespace {

constexpr size_t kFiveMegabytes = 5 * 1000 * 1000;

// Stores `runs` runs sharing 10,000 samples, each with a 5,000-character output and a
// 1,500-character target (the shape of LaMP-4…7 or long judge answers).
void write_long_db(const std::string& path, int runs) {
  auto store = Store::open(path);
  const int per_run = 10000 / runs;
  for (int r = 0; r < runs; ++r) {
    test::SeedRun seed{"big-" + std::to_string(r), "lamp-5:k=1", "model-" + std::to_string(r)};
    seed.samples = 0;  // samples written below
    test::store_seed_run(*store, seed);
    std::vector<SampleRow> rows;
    for (int i = 0; i < per_run; ++i) {
      SampleRow row = test::make_sample("s-" + std::to_string(i), i);
      const std::string tail = " <&> " + std::to_string(i);
      row.output = std::string(5000 - tail.size(), 'o') + tail;  // exactly 5,000 characters
      row.target = std::string(1500, 't');
      if (i % 100 == 0) row.error = std::string(2000, 'e');
      rows.push_back(std::move(row));
    }
    store->write_samples(seed.run_id, rows);
  }
}

}  // namespace

TEST_CASE("report of 10000 long samples in one run is under 5 MB and says it truncated", "[report][size]") {
  TempDir dir;
  const std::string db = dir.file("big.db");
  write_long_db(db, 1);
  auto store = Store::open(db);
  const std::string out = dir.file("report.html");
  const auto written = report::write_html_report(*store, {}, out);
  const auto bytes = std::filesystem::file_size(out);
  INFO("report size: " << bytes << " bytes");
  CHECK(bytes < kFiveMegabytes);
  CHECK(written.bytes == bytes);
  CHECK(written.samples_total == 10000);
  CHECK(written.samples_embedded == 2000);
  const std::string html = test::read_text_file(out);
  CHECK_THAT(html, Contains("showing 2,000 of 10,000 samples of run <code>big-0</code>"));
  CHECK_THAT(html, Contains("characters were truncated"));
  CHECK_THAT(html, Contains("[truncated: 5,000 chars]"));
  // The 100 failed samples are all embedded.
  const json data = test::embedded_sample_data(html);
  size_t failed = 0;
  for (const auto& s : data["samples"]) failed += !s[7].get<std::string>().empty();
  CHECK(failed == 100);
}

TEST_CASE("report of 10000 long samples over ten runs stays under 5 MB", "[report][size]") {
  TempDir dir;
  const std::string db = dir.file("big10.db");
  write_long_db(db, 10);  // 1,000 per run: under the per-run cap, so the byte budget decides
  auto store = Store::open(db);
  const std::string out = dir.file("report.html");
  const auto written = report::write_html_report(*store, {}, out);
  const auto bytes = std::filesystem::file_size(out);
  INFO("report size: " << bytes << " bytes");
  CHECK(bytes < kFiveMegabytes);
  CHECK(written.samples_total == 10000);
  CHECK(written.samples_embedded < 10000);
  const std::string html = test::read_text_file(out);
  CHECK_THAT(html, Contains("Not every sample is embedded"));
  CHECK_THAT(html, Contains("of 1,000 samples of run <code>big-9</code>"));
  // The budget is shared: every run keeps about the same number of samples.
  const json data = test::embedded_sample_data(html);
  std::vector<size_t> per_run(10, 0);
  for (const auto& s : data["samples"]) ++per_run[s[0].get<size_t>()];
  const auto [low, high] = std::minmax_element(per_run.begin(), per_run.end());
  CHECK(*high - *low <= 1);
}
