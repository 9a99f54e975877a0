// Choosing the runs of a comparison and deciding whether two runs may be compared at all.
#include <cctype>
#include <map>
#include <set>

#include "harness/core/errors.h"
#include "harness/core/spec.h"
#include "reports/compare.h"

namespace perseval {
namespace {

// The model spec `arg` names: an exact runs.model, else the one model it is a prefix of.
std::string resolve_model(const std::vector<RunRecord>& runs, const std::string& arg) {
  std::set<std::string> models, matches;
  for (const auto& r : runs) models.insert(r.model);
  if (models.count(arg)) return arg;
  for (const auto& m : models)
    if (m.compare(0, arg.size(), arg) == 0) matches.insert(m);
  if (matches.size() == 1) return *matches.begin();
  if (matches.empty())
    throw InputError("compare: '" + arg + "' is neither a run id nor a model in the database " +
                     "(see `perseval list runs`)");
  std::string list;
  for (const auto& m : matches) list += (list.empty() ? "" : ", ") + m;
  throw InputError("compare: '" + arg + "' matches several models: " + list + " (give more of the spec)");
}

// The latest finished run of every task of `model` (list_runs is oldest first).
std::map<std::string, RunRecord> latest_finished(const std::vector<RunRecord>& runs,
                                                 const std::string& model) {
  std::map<std::string, RunRecord> out;
  for (const auto& r : runs)
    if (r.model == model && r.status == "finished") out[r.task] = r;
  return out;
}

std::string backend_of(const RunRecord& r) {
  const auto it = r.model_identity.find("backend");
  if (it != r.model_identity.end() && it->is_string()) return it->get<std::string>();
  try {
    return Spec::parse(r.model).name;
  } catch (const std::exception&) {
    return r.model;
  }
}

std::string short_text(const std::string& s) { return s.size() > 80 ? s.substr(0, 80) + "…" : s; }

}  // namespace

RunSelection select_runs(Store& store, const std::string& a, const std::string& b) {
  const std::vector<RunRecord> runs = store.list_runs();
  RunSelection out;
  std::optional<RunRecord> run_a = store.get_run(a), run_b = store.get_run(b);
  out.a = {a, run_a ? "run" : "model", run_a ? run_a->model : resolve_model(runs, a)};
  out.b = {b, run_b ? "run" : "model", run_b ? run_b->model : resolve_model(runs, b)};
  if (run_a && run_b) {
    out.pairs.emplace_back(*run_a, *run_b);
    return out;
  }
  // One run id: the other side's latest finished run of that task.
  if (run_a || run_b) {
    const RunRecord& fixed = run_a ? *run_a : *run_b;
    const CompareSide& other = run_a ? out.b : out.a;
    const auto latest = latest_finished(runs, other.model);
    const auto it = latest.find(fixed.task);
    if (it == latest.end())
      throw InputError("compare: model '" + other.model + "' has no finished run of task " + fixed.task);
    if (run_a) out.pairs.emplace_back(fixed, it->second);
    else out.pairs.emplace_back(it->second, fixed);
    return out;
  }
  const auto latest_a = latest_finished(runs, out.a.model);
  const auto latest_b = latest_finished(runs, out.b.model);
  for (const auto& [task, r] : latest_a) {
    const auto it = latest_b.find(task);
    if (it == latest_b.end()) out.unpaired.push_back({task, "a", r.run_id});
    else out.pairs.emplace_back(r, it->second);
  }
  for (const auto& [task, r] : latest_b)
    if (!latest_a.count(task)) out.unpaired.push_back({task, "b", r.run_id});
  if (out.pairs.empty())
    throw InputError("compare: models '" + out.a.model + "' and '" + out.b.model +
                     "' have no finished run of a common task");
  return out;
}

void check_comparable(const RunRecord& a, const RunRecord& b) {
  std::vector<std::string> differ;
  const auto field = [&differ](const std::string& name, const std::string& x, const std::string& y) {
    if (x != y) differ.push_back(name + " (" + short_text(x) + " vs " + short_text(y) + ")");
  };
  field("task spec", a.task, b.task);
  field("task version", a.task_version, b.task_version);
  field("task parameters", a.task_params.dump(), b.task_params.dump());
  field("dataset fingerprint", a.dataset_fingerprint, b.dataset_fingerprint);
  field("seed", std::to_string(a.seed), std::to_string(b.seed));
  field("limit", std::to_string(a.limit), std::to_string(b.limit));
  // The judge scores judged tasks: another judge is another scorer.
  field("judge", a.notes.value("judge", json()).dump(), b.notes.value("judge", json()).dump());
  if (differ.empty()) return;
  std::string list;
  for (const auto& d : differ) list += (list.empty() ? "" : "; ") + d;
  const std::string of_task = a.task == b.task ? " of " + a.task : "";
  throw InputError("compare: runs " + a.run_id + " and " + b.run_id + of_task +
                   " cannot be compared: tasks, data or scorers differ: " + list +
                   " (give two run ids to compare other runs)");
}

std::vector<std::string> pair_warnings(const RunRecord& a, const RunRecord& b) {
  std::vector<std::string> out;
  const std::string where = a.task + ": ";
  if (a.run_id == b.run_id) out.push_back(where + "A and B are the same run " + a.run_id);
  const std::string backend_a = backend_of(a), backend_b = backend_of(b);
  if (backend_a != backend_b)
    out.push_back(where + "model backends differ (" + backend_a + " vs " + backend_b +
                  "): legitimate, but serving stacks differ in tokenisation, decoding and limits");
  if (a.gen_config != b.gen_config)
    out.push_back(where + "generation settings differ (" + short_text(a.gen_config.dump()) + " vs " +
                  short_text(b.gen_config.dump()) + ")");
  for (const auto* r : {&a, &b})
    if (r->status != "finished")
      out.push_back(where + "run " + r->run_id + " is " + r->status + "; only its stored samples count");
  return out;
}

bool metric_higher_is_better(const std::string& metric, const std::string& primary,
                             bool primary_higher_is_better) {
  if (metric == primary) return primary_higher_is_better;
  std::string m;
  for (const char c : metric) m += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto starts = [&m](const char* p) { return m.rfind(p, 0) == 0; };
  const auto has = [&m](const char* p) { return m.find(p) != std::string::npos; };
  if (starts("mae") || starts("rmse") || starts("ece") || starts("brier") || starts("aurc")) return false;
  for (const char* bad : {"error", "fail", "unparse", "missing", "no_answer", "not_allowed",
                          "out_of_range", "truncated", "inconsistent", "ties", "incomplete"})
    if (has(bad)) return false;
  return true;
}

}  // namespace perseval
