// `perseval report --db FILE -o report.html [--runs ID,...]`: the HTML report (reports/).
#include <filesystem>
#include <iostream>
#include <sstream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "reports/html_report.h"
#include "reports/report_format.h"

namespace perseval::cli {
namespace {

constexpr const char* kReportUsage =
    "usage: perseval report [--db FILE] [-o|--output FILE.html] [--runs RUN_ID,...] "
    "[--max-samples N] [--max-chars N] [--title TEXT] [--compare A --compare B]";

size_t non_negative(const Args& args, const std::string& flag, long long fallback) {
  const long long value = args.int_or(flag, fallback);
  if (value < 0) throw InputError("option --" + flag + " must be >= 0, got " + std::to_string(value));
  return static_cast<size_t>(value);
}

}  // namespace

int cmd_report(int argc, char** argv) {
  // Args knows only --long flags; accept the customary -o as --output.
  std::vector<std::string> words;
  for (int i = 0; i < argc; ++i) words.push_back(std::string(argv[i]) == "-o" ? "--output" : argv[i]);
  std::vector<char*> pointers;
  for (auto& w : words) pointers.push_back(w.data());
  Args args(static_cast<int>(pointers.size()), pointers.data(), 0,
            {"db", "output", "runs", "max-samples", "max-chars", "title", "compare"}, {});
  if (!args.positionals().empty())
    throw InputError("report: unexpected argument '" + args.positionals()[0] + "'\n" + kReportUsage);

  const std::string db = args.value_or("db", kDefaultDb);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db, ec))
    throw InputError("report: database '" + db + "' does not exist (give it with --db FILE)");
  const std::string output = args.value_or("output", "report.html");

  report::ReportOptions options;
  for (const auto& list : args.values("runs")) {
    std::stringstream pieces(list);
    for (std::string id; std::getline(pieces, id, ',');)
      if (!id.empty()) options.run_ids.push_back(id);
  }
  if (args.has("runs") && options.run_ids.empty()) throw InputError("report: --runs needs at least one run id");
  options.max_samples_per_run = non_negative(args, "max-samples", static_cast<long long>(options.max_samples_per_run));
  options.max_text_chars = non_negative(args, "max-chars", static_cast<long long>(options.max_text_chars));
  options.title = args.value_or("title", options.title);
  if (const auto compare = args.values("compare"); !compare.empty()) {
    // --compare A,B or --compare A --compare B (run ids or model specs, as `perseval compare`).
    std::vector<std::string> sides;
    for (const auto& value : compare) {
      if (compare.size() == 1 && value.find(',') != std::string::npos && value.find(':') == std::string::npos) {
        std::stringstream pieces(value);
        for (std::string side; std::getline(pieces, side, ',');) sides.push_back(side);
      } else {
        sides.push_back(value);
      }
    }
    if (sides.size() != 2) throw InputError("report: --compare needs two sides: --compare A --compare B");
    options.compare_a = sides[0];
    options.compare_b = sides[1];
  }

  auto store = Store::open(db);
  const report::WrittenReport written = report::write_html_report(*store, options, output);
  std::cerr << "perseval report: " << output << " (" << report::format_count(static_cast<long long>(written.bytes))
            << " bytes, " << written.runs << " runs, "
            << report::format_count(static_cast<long long>(written.samples_embedded)) << " of "
            << report::format_count(written.samples_total) << " samples embedded)\n";
  return 0;
}

}  // namespace perseval::cli
