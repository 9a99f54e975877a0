// `perseval compare A B`: paired comparison of two runs or two models (reports/compare.h),
// and with --fail-if-worse the nightly regression gate (exit 1 when B is significantly worse).
#include <filesystem>
#include <iostream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "reports/compare.h"

namespace perseval::cli {
namespace {

constexpr const char* kCompareUsage =
    "usage: perseval compare A B [--db FILE] [--json] [--fail-if-worse DELTA] [--alpha 0.05] "
    "(A, B: run ids or model specs)";

double number_flag(const Args& args, const std::string& flag, double fallback) {
  const auto text = args.value(flag);
  if (!text) return fallback;
  try {
    size_t used = 0;
    const double value = std::stod(*text, &used);
    if (used == text->size()) return value;
  } catch (const std::exception&) {
  }
  throw InputError("compare: --" + flag + " needs a number, got '" + *text + "'");
}

}  // namespace

int cmd_compare(int argc, char** argv) {
  Args args(argc, argv, 0, {"db", "fail-if-worse", "alpha", "resamples"}, {"json"});
  if (args.positionals().size() != 2) throw InputError(kCompareUsage);
  CompareOptions options;
  options.alpha = number_flag(args, "alpha", 0.05);
  if (!(options.alpha > 0 && options.alpha < 1)) throw InputError("compare: --alpha must lie in (0, 1)");
  if (args.has("fail-if-worse")) {
    options.fail_if_worse = number_flag(args, "fail-if-worse", 0.0);
    if (!(*options.fail_if_worse >= 0)) throw InputError("compare: --fail-if-worse DELTA must be >= 0");
  }
  options.resamples = static_cast<int>(args.int_or("resamples", 1000));
  if (options.resamples < 1) throw InputError("compare: --resamples must be >= 1");

  const std::string db = args.value_or("db", kDefaultDb);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db, ec)) throw InputError("compare: no database at " + db);
  auto store = Store::open(db);
  const Comparison comparison = compare(*store, args.positionals()[0], args.positionals()[1], options);
  for (const auto& w : comparison.warnings) std::cerr << "perseval compare: warning: " << w << "\n";
  if (args.has("json"))
    std::cout << comparison_json(comparison).dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  else
    std::cout << format_comparison_text(comparison);
  if (comparison.failed_gate)
    for (const auto& g : comparison.gate_failures)
      std::cerr << "perseval compare: gate failed: " << g.task << " " << g.metric << " is worse by "
                << g.worse_by << " (> " << *options.fail_if_worse << "), Holm-adjusted p " << g.p_holm
                << " < " << options.alpha << "\n";
  return comparison.failed_gate ? 1 : 0;
}

}  // namespace perseval::cli
