// A comparison as text (for people) and as JSON (for scripts and CI).
#include <cmath>
#include <cstdio>

#include "harness/core/terminal_text.h"
#include "reports/compare.h"

namespace perseval {
namespace {

json number_or_null(const std::optional<double>& x) {
  return x && std::isfinite(*x) ? json(*x) : json(nullptr);
}

json number_or_null(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

// Model output as a JSON string literal, and safe on a terminal (JSON leaves DEL and the C1
// controls raw).
std::string quoted(const std::string& text) {
  return terminal_safe(json(text).dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string fixed(double x, const char* format = "%.4f") {
  if (!std::isfinite(x)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

std::string fixed(const std::optional<double>& x, const char* format = "%.4f") {
  return x ? fixed(*x, format) : "-";
}

std::string short_test(const std::string& test) {
  if (test == "mcnemar_exact") return "mcnemar";
  if (test == "sign_flip_exact") return "sign-flip";
  if (test == "sign_flip_monte_carlo") return "sign-flip~";
  return test;
}

json side_json(const CompareSide& s) { return json{{"arg", s.arg}, {"kind", s.kind}, {"model", s.model}}; }

json examples_json(const std::vector<FlipExample>& examples) {
  json out = json::array();
  for (const auto& e : examples)
    out.push_back(json{{"sample_id", e.sample_id}, {"a", number_or_null(e.a_value)},
                       {"b", number_or_null(e.b_value)}, {"a_output", e.a_output}, {"b_output", e.b_output}});
  return out;
}

json metric_json(const MetricComparison& m) {
  return json{{"name", m.name},
              {"primary", m.primary},
              {"higher_is_better", m.higher_is_better},
              {"a", number_or_null(m.a)},
              {"b", number_or_null(m.b)},
              {"diff", number_or_null(m.diff)},
              {"ci_low", number_or_null(m.ci_low)},
              {"ci_high", number_or_null(m.ci_high)},
              {"p", number_or_null(m.p)},
              {"p_holm", number_or_null(m.p_holm)},
              {"p_bootstrap", number_or_null(m.p_bootstrap)},
              {"test", m.test},
              {"note", m.note},
              {"n", m.n},
              {"improved", m.improved},
              {"worsened", m.worsened},
              {"unchanged", m.unchanged},
              {"mde", number_or_null(m.mde)}};
}

void append_task_text(std::string& out, const TaskComparison& t) {
  char line[512];
  out += "\n" + t.task + "\n";
  std::snprintf(line, sizeof line,
                "  runs A %s  B %s\n  n_paired %lld (A %lld, B %lld samples; only in A %lld, only in B %lld; "
                "failed calls A %lld, B %lld)\n",
                t.run_a.run_id.c_str(), t.run_b.run_id.c_str(), static_cast<long long>(t.n_paired),
                static_cast<long long>(t.n_a), static_cast<long long>(t.n_b),
                static_cast<long long>(t.missing_in_b), static_cast<long long>(t.missing_in_a),
                static_cast<long long>(t.errored_a), static_cast<long long>(t.errored_b));
  out += line;
  std::snprintf(line, sizeof line, "    %-28s %10s %10s %9s  %-21s %8s %8s %-10s %-16s %s\n", "metric", "A", "B",
                "B-A", "95% CI", "p", "p_holm", "test", "better/worse/=", "MDE");
  out += line;
  for (const auto& m : t.metrics) {
    const std::string name = std::string(m.primary ? "* " : "  ") + m.name + (m.higher_is_better ? " ^" : " v");
    if (m.test == "none") {
      std::snprintf(line, sizeof line, "  %-30s %10s %10s %9s  %s\n", name.c_str(), fixed(m.a).c_str(),
                    fixed(m.b).c_str(), fixed(m.diff, "%+.4f").c_str(), m.note.c_str());
    } else {
      const std::string ci = "[" + fixed(m.ci_low, "%+.4f") + ", " + fixed(m.ci_high, "%+.4f") + "]";
      const std::string flips = std::to_string(m.improved) + "/" + std::to_string(m.worsened) + "/" +
                                std::to_string(m.unchanged);
      std::snprintf(line, sizeof line, "  %-30s %10s %10s %9s  %-21s %8s %8s %-10s %-16s %s\n", name.c_str(),
                    fixed(m.a).c_str(), fixed(m.b).c_str(), fixed(m.diff, "%+.4f").c_str(), ci.c_str(),
                    fixed(m.p, "%.3g").c_str(), fixed(m.p_holm, "%.3g").c_str(), short_test(m.test).c_str(),
                    flips.c_str(), !m.mde ? "-" : std::isinf(*m.mde) ? "inf" : fixed(m.mde).c_str());
    }
    out += line;
  }
  if (t.improved_examples.empty() && t.worsened_examples.empty()) return;
  out += "  biggest flips of " + t.flips_metric + " (+ B better, - B worse):\n";
  for (const auto* list : {&t.improved_examples, &t.worsened_examples})
    for (const auto& e : *list) {
      out += std::string("    ") + (list == &t.improved_examples ? "+ " : "- ") + terminal_safe(e.sample_id) + "  " +
             fixed(e.a_value) + " -> " + fixed(e.b_value) + "\n";
      out += "        A: " + quoted(e.a_output) + "\n        B: " + quoted(e.b_output) + "\n";
    }
}

}  // namespace

std::string format_comparison_text(const Comparison& c) {
  size_t tests = 0;
  for (const auto& t : c.tasks)
    for (const auto& m : t.metrics) tests += m.p_holm.has_value();
  std::string out = "A: " + c.a.model + (c.a.kind == "run" ? " (run " + c.a.arg + ")" : "") + "\nB: " +
                    c.b.model + (c.b.kind == "run" ? " (run " + c.b.arg + ")" : "") + "\n";
  out += std::to_string(c.tasks.size()) + " paired task(s); " + std::to_string(tests) +
         " paired tests, p_holm adjusted over all of them; alpha " + fixed(c.options.alpha, "%g") +
         "\nB-A is the mean per-sample difference over the paired samples; ^ higher is better, v lower; "
         "* primary metric\n";
  for (const auto& t : c.tasks) append_task_text(out, t);
  if (!c.unpaired.empty()) {
    out += "\nunpaired tasks (only one side has a finished run):\n";
    for (const auto& u : c.unpaired)
      out += "  " + u.task + " only in " + (u.side == "a" ? "A" : "B") + " (run " + u.run_id + ")\n";
  }
  if (!c.warnings.empty())
    out += "\n" + std::to_string(c.warnings.size()) + " warning(s), printed on stderr\n";
  if (c.options.fail_if_worse) {
    out += "\ngate (--fail-if-worse " + fixed(*c.options.fail_if_worse, "%g") + ", alpha " +
           fixed(c.options.alpha, "%g") + "): " + (c.failed_gate ? "FAILED" : "passed") + "\n";
    for (const auto& g : c.gate_failures)
      out += "  " + g.task + " " + g.metric + ": B worse by " + fixed(g.worse_by) + ", p_holm " +
             fixed(g.p_holm, "%.3g") + "\n";
  }
  return out;
}

json comparison_json(const Comparison& c) {
  json tasks = json::array();
  for (const auto& t : c.tasks) {
    json metrics = json::array();
    for (const auto& m : t.metrics) metrics.push_back(metric_json(m));
    tasks.push_back(json{{"task", t.task},
                         {"run_a", t.run_a.run_id},
                         {"run_b", t.run_b.run_id},
                         {"n_a", t.n_a},
                         {"n_b", t.n_b},
                         {"n_paired", t.n_paired},
                         {"missing_in_a", t.missing_in_a},
                         {"missing_in_b", t.missing_in_b},
                         {"errored_a", t.errored_a},
                         {"errored_b", t.errored_b},
                         {"metrics", metrics},
                         {"flips", {{"metric", t.flips_metric},
                                    {"improved", examples_json(t.improved_examples)},
                                    {"worsened", examples_json(t.worsened_examples)}}}});
  }
  json unpaired = json::array();
  for (const auto& u : c.unpaired) unpaired.push_back(json{{"task", u.task}, {"side", u.side}, {"run_id", u.run_id}});
  json gate = json::array();
  for (const auto& g : c.gate_failures)
    gate.push_back(json{{"task", g.task}, {"metric", g.metric}, {"worse_by", g.worse_by}, {"p_holm", g.p_holm}});
  return json{{"a", side_json(c.a)},
              {"b", side_json(c.b)},
              {"alpha", c.options.alpha},
              {"fail_if_worse", number_or_null(c.options.fail_if_worse)},
              {"tasks", tasks},
              {"unpaired", unpaired},
              {"warnings", c.warnings},
              {"gate_failures", gate},
              {"failed_gate", c.failed_gate}};
}

}  // namespace perseval
