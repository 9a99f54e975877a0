#include "reports/export_results.h"

#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace perseval {
namespace {

json number_or_null(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

json optional_number(const std::optional<double>& value) {
  return value ? number_or_null(*value) : json(nullptr);
}

// "METRIC,none" keys as lm-evaluation-harness writes them (",none" = no filter).
void put_metric(json& into, const MetricValue& m) {
  into[m.name + ",none"] = number_or_null(m.value);
  into[m.name + "_n,none"] = m.n;
  if (m.ci_low && m.ci_high)
    into[m.name + "_ci95,none"] = json::array({optional_number(m.ci_low), optional_number(m.ci_high)});
}

// Model output and data may hold bytes that are not UTF-8; never fail an export on them.
std::string dump_line(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json judgement_json(const Judgement& j) {
  return json{{"request_index", j.request_index},
              {"draw", j.draw},
              {"raw_text", j.raw_text},
              {"verdict", j.verdict},
              {"confidence", optional_number(j.confidence)},
              {"parse_status", j.parse_status},
              {"error", j.error ? json(*j.error) : json(nullptr)}};
}

}  // namespace

json results_document(Store& store, const std::vector<RunRecord>& runs) {
  json doc{{"results", json::object()}, {"slices", json::object()},   {"versions", json::object()},
           {"n-samples", json::object()}, {"configs", json::object()}, {"runs", json::array()}};
  std::set<std::string> models;
  for (const auto& run : runs) models.insert(run.model);
  const bool several_models = models.size() > 1;
  for (const auto& run : runs) {
    // With several models the same task appears once per model: key it by both.
    const std::string key = several_models ? run.task + " | " + run.model : run.task;
    json result{{"alias", run.task}};
    if (several_models) result["model"] = run.model;
    json slices = json::object();
    for (const auto& m : store.read_metrics(run.run_id)) {
      if (m.slice_key.empty())
        put_metric(result, m.metric);
      else
        put_metric(slices[m.slice_key + "=" + m.slice_value], m.metric);
    }
    doc["results"][key] = std::move(result);
    if (!slices.empty()) doc["slices"][key] = std::move(slices);
    doc["versions"][key] = run.task_version;
    doc["n-samples"][key] = json{{"original", run.n_total}, {"effective", run.n_total}};
    doc["configs"][key] = json{{"task", run.task},
                               {"params", run.task_params},
                               {"dataset_fingerprint", run.dataset_fingerprint},
                               {"gen", run.gen_config}};
    doc["runs"].push_back(json{{"run_id", run.run_id},
                               {"task", run.task},
                               {"model", run.model},
                               {"status", run.status},
                               {"started_at", run.started_at},
                               {"finished_at", run.finished_at},
                               {"wall_s", run.wall_s},
                               {"usage", run.notes.value("usage", json::object())}});
  }
  json config = json::object();
  if (!runs.empty()) {
    const RunRecord& first = runs.front();
    config = json{{"model", several_models ? json(std::vector<std::string>(models.begin(), models.end()))
                                           : json(first.model)},
                  {"model_args", several_models ? json(nullptr) : first.model_identity},
                  {"seed", first.seed},
                  {"limit", first.limit < 0 ? json(nullptr) : json(first.limit)},
                  {"gen", first.gen_config}};
    doc["perseval_version"] = first.harness_version;
    doc["git_hash"] = first.git_revision;
  }
  doc["config"] = std::move(config);
  doc["date"] = static_cast<double>(std::time(nullptr));
  return doc;
}

long long write_samples_jsonl(Store& store, const RunRecord& run, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(path + ": cannot be written (--log-samples)");
  std::map<std::string, json> judgements;
  for (const auto& sj : store.read_judgements(run.run_id))
    judgements[sj.sample_id].push_back(judgement_json(sj.judgement));
  long long lines = 0;
  for (const auto& row : store.read_samples(run.run_id)) {
    json scores = json::object();
    for (const auto& [name, value] : row.scores.items())
      scores[name] = value.is_number() ? number_or_null(value.get<double>()) : value;
    const auto it = judgements.find(row.sample_id);
    out << dump_line(json{{"doc_id", row.seq},
                          {"sample_id", row.sample_id},
                          {"user_id", row.user_id},
                          {"slices", row.slices},
                          {"target", row.target},
                          {"output", row.output},
                          {"parsed", row.parsed},
                          {"scores", scores},
                          {"error", row.error ? json(*row.error) : json(nullptr)},
                          {"latency_ms", row.latency_ms},
                          {"prompt_tokens", row.prompt_tokens},
                          {"completion_tokens", row.completion_tokens},
                          {"attempts", row.attempts},
                          {"cached", row.cached},
                          {"judgements", it == judgements.end() ? json::array() : it->second}})
        << "\n";
    ++lines;
  }
  out.flush();
  if (!out) throw std::runtime_error(path + ": write failed (disk full?)");
  return lines;
}

std::string file_slug(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
    out += keep ? c : '_';
    if (out.size() == 80) break;
  }
  if (out.empty() || out == "." || out == "..") out = "_";
  return out;
}

std::vector<std::string> export_runs(Store& store, const std::vector<RunRecord>& runs, const std::string& dir,
                                     bool log_samples) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir + ": cannot create the output directory (" + ec.message() + ")");
  std::vector<std::string> written;
  const std::string results_path = (std::filesystem::path(dir) / "results.json").string();
  {
    std::ofstream out(results_path, std::ios::binary | std::ios::trunc);
    out << results_document(store, runs).dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    out.flush();
    if (!out) throw std::runtime_error(results_path + ": cannot be written (--output-path)");
  }
  written.push_back(results_path);
  if (log_samples)
    for (const auto& run : runs) {
      const std::string path =
          (std::filesystem::path(dir) / ("samples_" + file_slug(run.task) + "_" + file_slug(run.run_id) + ".jsonl"))
              .string();
      write_samples_jsonl(store, run, path);
      written.push_back(path);
    }
  return written;
}

}  // namespace perseval
