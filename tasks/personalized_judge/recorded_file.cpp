#include "tasks/personalized_judge/recorded_file.h"

#include <cstdio>

#include "tasks/pairwise/pair_layout.h"
#include "tasks/personalized_judge/judge_scoring.h"

namespace perseval::personalized_judge {
namespace {

std::string format_number(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_number_integer() || v.is_number_unsigned()) return std::to_string(v.get<long long>());
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v.get<double>());
  return buf;
}

std::string tally_text(const json& t) {
  return "n=" + format_number(t["n"]) + " correct=" + format_number(t["correct"]) +
         " accuracy=" + format_number(t["accuracy"]);
}

}  // namespace

RecordedFileReport analyse_recorded_file(const std::string& path, const RecordedFileOptions& options) {
  std::vector<JudgeRecord> records;
  read_judge_records(path, [&](JudgeRecord&& r) {
    records.push_back(std::move(r));
    return true;
  });

  RecordedFileReport report;
  report.path = path;
  report.tie = options.force_tie;
  bool any_prompt = false, asks_certainty = false;
  for (const auto& r : records) {
    if (r.ground_truth == "C") report.tie = true;
    if (!r.prompt.empty()) {
      any_prompt = true;
      const ReadingRules rules = rules_for_prompt(r.prompt);
      report.tie = report.tie || rules.allow_tie;
      asks_certainty = asks_certainty || rules.want_certainty;
    }
  }
  report.certainty = any_prompt ? asks_certainty : !report.tie;
  if (!records.empty()) report.kind = records.front().kind;

  std::vector<OfficialCase> cases;
  std::vector<ScoredSample> samples;
  bool all_res = !records.empty();
  for (const auto& r : records) all_res = all_res && r.res.has_value();
  report.extraction = all_res ? "res" : "recorded_fields";
  for (const auto& r : records) {
    cases.push_back({r.ground_truth, r.answer, r.certainty, r.acc});
    ReadingRules rules;
    rules.allow_tie = report.tie;
    rules.want_certainty = report.certainty;
    if (!r.prompt.empty()) rules.open_bracket = rules_for_prompt(r.prompt).open_bracket;
    const pairwise::ShownPair shown{r.asst_a.value_or(""), r.asst_b.value_or(""), r.ground_truth, false};
    ScoredSample s;
    s.sample_id = "line-" + std::to_string(r.line);
    s.user_id = r.user_info;
    if (all_res) {
      s.scores = score_reply_text(*r.res, rules, shown, false, json());
    } else {
      s.scores = score_judge_reply(choice_from_recorded(r.answer, r.certainty, rules),
                                   {r.answer, r.certainty}, shown, false);
    }
    // Without both candidates the length control says nothing.
    if (!r.asst_a || !r.asst_b) s.scores.values.erase("longer_is_gold");
    samples.push_back(std::move(s));
  }

  AnalysisOptions a;
  a.high_threshold = options.high_threshold;
  a.tie = report.tie;
  report.official = analyse_official(cases, a);
  JudgeAggregateOptions j;
  j.tie = report.tie;
  j.certainty = report.certainty;
  j.high_threshold = options.high_threshold;
  report.strict = strict_judge_metrics(samples, options.seed, j);
  if (report.kind == RecordKind::ap) report.flags.push_back("degenerate_distractor");
  if (report.official.tie_gold && report.official.tie_gold->n > 0) report.flags.push_back("ties_stale_candidates");
  return report;
}

json report_json(const RecordedFileReport& report) {
  json out = official_json(report.official);
  out["file"] = report.path;
  out["kind"] = kind_name(report.kind);
  out["tie"] = report.tie;
  out["flags"] = report.flags;
  json metrics = json::object();
  for (const auto& m : report.strict)
    metrics[m.name] = json{{"value", m.value},
                           {"n", m.n},
                           {"ci", m.ci_low && m.ci_high ? json::array({*m.ci_low, *m.ci_high}) : json()}};
  out["perseval"] = json{{"extraction", report.extraction}, {"metrics", metrics}};
  return out;
}

std::string report_text(const RecordedFileReport& report) {
  const json j = report_json(report);
  std::string out;
  auto line = [&out](const std::string& key, const std::string& value) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%-20s ", key.c_str());
    out += buf + value + "\n";
  };
  line("file", report.path);
  for (const char* key : {"records", "answered", "correct", "accuracy", "parse_failures"})
    line(key, format_number(j[key]));
  line("high (>= " + std::to_string(report.official.high_threshold) + ")", tally_text(j["high"]));
  line("low", tally_text(j["low"]));
  std::string bins;
  for (const auto& [bin, t] : j["bins"].items())
    bins += bin + ": (" + format_number(t["n"]) + ", " + format_number(t["correct"]) + ")  ";
  line("bins (n, correct)", bins);
  for (const auto& [t, row] : j["thresholds"].items())
    line("threshold >= " + t, "coverage=" + format_number(row["coverage"]) + " (" +
                                  format_number(row["covered"]) + ") accuracy=" +
                                  format_number(row["accuracy"]));
  line("auroc_certainty", format_number(j["auroc_certainty"]["value"]) + " (" +
                              format_number(j["auroc_certainty"]["wins"]) + " / " +
                              format_number(j["auroc_certainty"]["pairs"]) + ")");
  if (j.contains("three_way_accuracy")) line("three_way_accuracy", tally_text(j["three_way_accuracy"]));
  if (j.contains("ties_stale_candidates")) line("ties_stale_candidates", tally_text(j["ties_stale_candidates"]));
  for (const auto& flag : report.flags) line("flag", flag);
  out += "\nperseval (strict extraction from " + report.extraction + ")\n";
  for (const auto& m : report.strict) {
    std::string value = format_number(json(m.value)) + "  n=" + std::to_string(m.n);
    if (m.ci_low && m.ci_high)
      value += "  [" + format_number(json(*m.ci_low)) + ", " + format_number(json(*m.ci_high)) + "]";
    line(m.name, value);
  }
  return out;
}

}  // namespace perseval::personalized_judge
