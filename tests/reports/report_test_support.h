// Builds real perseval databases for the report tests: finished runs with stored samples,
// whole-run and sliced metrics and usage notes, written through the Store API.
#pragma once

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "harness/store/store.h"
#include "tests/harness/test_store_support.h"

namespace perseval::test {

// One run to store: identity plus what its samples and metrics look like.
struct SeedRun {
  std::string run_id;
  std::string task;                 // canonical task spec
  std::string model;                // canonical model spec
  std::string metric = "accuracy";  // primary metric
  bool higher_is_better = true;
  double value = 0.5;               // whole-run primary metric
  int samples = 12;
  int errors = 1;                   // the first `errors` samples failed
  std::string output_prefix = "answer";
  std::string user_prefix = "u";
  std::string error_text = "HTTP 503: overloaded (gave up after 6 attempts)";
  json extra_notes = json::object();
  std::string started_at = "2026-01-01T00:00:00Z";
};

inline MetricValue metric_value(const std::string& name, double value, long long n) {
  return MetricValue{name, value, n, value - 0.1, value + 0.1};
}

// Stores `seed` as a finished run: samples sample-0..N-1 (users PREFIX0..PREFIX5), the primary
// metric for the whole run, per user ("user" slice, users PREFIX0..PREFIX5), per "distance" (1, 2, 4, 8) and per
// "tier" (easy, hard), plus n_errors; notes with usage, cost and latency percentiles.
inline void store_seed_run(Store& store, const SeedRun& seed) {
  RunRecord run = make_run(seed.run_id, "cfg-" + seed.run_id, seed.started_at);
  run.task = seed.task;
  run.model = seed.model;
  run.status = "finished";
  run.finished_at = "2026-01-01T00:01:00Z";
  run.n_total = seed.samples;
  run.wall_s = 61.5;
  run.notes = {{"primary_metric", seed.metric},
               {"higher_is_better", seed.higher_is_better},
               {"task_family", "test"},
               {"usage", {{"samples", seed.samples}, {"errors", seed.errors}, {"cache_hits", 2},
                          {"model_calls", seed.samples - 2}, {"attempts", seed.samples + 3},
                          {"prompt_tokens", 12345}, {"completion_tokens", 678}, {"cost_usd", 0.0421},
                          {"latency_ms", {{"p50", 812.5}, {"p90", 1500.0}, {"p99", 2400.0},
                                          {"max", 2500.0}, {"mean", 900.0}}}}}};
  for (const auto& [key, value] : seed.extra_notes.items()) run.notes[key] = value;
  store.create_run(run);

  std::vector<SampleRow> rows;
  for (int i = 0; i < seed.samples; ++i) {
    SampleRow row = make_sample("sample-" + std::to_string(i), i);
    row.user_id = seed.user_prefix + std::to_string(i % 6);
    row.slices = {{"user", row.user_id}, {"tier", i % 2 ? "hard" : "easy"}};
    row.output = seed.output_prefix + " " + std::to_string(i);
    if (i < seed.errors) {
      row.error = seed.error_text;
      row.output.clear();
    }
    rows.push_back(row);
  }
  store.write_samples(seed.run_id, rows);

  std::vector<StoredMetric> metrics;
  metrics.push_back({"", "", metric_value(seed.metric, seed.value, seed.samples)});
  metrics.push_back({"", "", MetricValue{"n_errors", static_cast<double>(seed.errors), seed.samples, {}, {}}});
  for (int u = 0; u < 6; ++u)
    metrics.push_back({"user", seed.user_prefix + std::to_string(u), metric_value(seed.metric, 0.1 * u + seed.value / 10, 2)});
  const char* distances[] = {"1", "2", "4", "8"};
  for (int d = 0; d < 4; ++d)
    metrics.push_back({"distance", distances[d], metric_value(seed.metric, seed.value - 0.05 * d, 3)});
  metrics.push_back({"tier", "easy", metric_value(seed.metric, seed.value + 0.05, 6)});
  metrics.push_back({"tier", "hard", metric_value(seed.metric, seed.value - 0.05, 6)});
  store.replace_metrics(seed.run_id, metrics);
}

// The standard fixture: two tasks x two models.
inline std::vector<SeedRun> standard_seed_runs() {
  return {
      {"run-a1", "lamp-2:k=1", "baseline:kind=majority", "accuracy", true, 0.625},
      {"run-a2", "lamp-2:k=1", "openai:model=qwen", "accuracy", true, 0.875},
      {"run-b1", "lamp-3:k=1", "baseline:kind=majority", "MAE", false, 0.75},
      {"run-b2", "lamp-3:k=1", "openai:model=qwen", "MAE", false, 0.5},
  };
}

// Creates a database at `path` holding `runs`.
inline void write_seed_db(const std::string& path, const std::vector<SeedRun>& runs) {
  auto store = Store::open(path);
  for (const auto& run : runs) store_seed_run(*store, run);
}

// The attack strings of the injection tests.
inline const std::string kScriptAttack = "<script>document.title='pwned'</script>";
inline const std::string kImgAttack = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">";
inline const std::string kUrlAttack = "javascript:alert(1)";
inline const std::string kAllAttacks = kScriptAttack + kImgAttack + kUrlAttack;

// Two runs whose every text field (task, model, metric, users, outputs, errors, notes, run
// id) carries the attack strings.
inline std::vector<SeedRun> hostile_seed_runs() {
  SeedRun a{"run-<b>evil</b>", "lamp-x" + kScriptAttack + ":k=" + kImgAttack, "evil" + kAllAttacks,
            "acc" + kImgAttack, true, 0.5};
  a.output_prefix = "out " + kAllAttacks;
  a.user_prefix = "user" + kScriptAttack;
  a.error_text = "error " + kAllAttacks;
  a.extra_notes = {{"evil", kAllAttacks}, {"link", kUrlAttack}};
  SeedRun b = a;
  b.run_id = "run-2" + kImgAttack;
  b.model = "second " + kUrlAttack;
  b.value = 0.75;
  return {a, b};
}

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The JSON of the sample browser's data block, parsed.
inline json embedded_sample_data(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"sample-data\">";
  const size_t start = html.find(open);
  if (start == std::string::npos) return nullptr;
  const size_t end = html.find("</script>", start);
  return json::parse(html.substr(start + open.size(), end - start - open.size()));
}

// A start or end tag: lower-case name ("td", "/td") and its attributes, values unquoted
// (character references left as they are).
struct HtmlTag {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
};

// Every tag of `html`, in order, parsed the way a browser tokenizes tags (quoted attribute
// values may contain '>' or spaces), skipping comments, the doctype and the raw text inside
// <script> and <style>. Escaped text holds no '<', so these are the page's real elements.
inline std::vector<HtmlTag> html_tags(const std::string& html) {
  std::vector<HtmlTag> tags;
  const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string::npos) {
    if (html.compare(pos, 4, "<!--") == 0) {
      pos = html.find("-->", pos);
      if (pos == std::string::npos) break;
      continue;
    }
    if (html.compare(pos, 2, "<!") == 0) {
      pos = html.find('>', pos);
      if (pos == std::string::npos) break;
      continue;
    }
    HtmlTag tag;
    size_t i = pos + 1;
    if (i < html.size() && html[i] == '/') tag.name += html[i++];
    while (i < html.size() && !space(html[i]) && html[i] != '>' && html[i] != '/') tag.name += lower(html[i++]);
    while (i < html.size() && html[i] != '>') {
      if (space(html[i]) || html[i] == '/') {
        ++i;
        continue;
      }
      std::string name, value;
      while (i < html.size() && !space(html[i]) && html[i] != '=' && html[i] != '>' && html[i] != '/')
        name += lower(html[i++]);
      while (i < html.size() && space(html[i])) ++i;
      if (i < html.size() && html[i] == '=') {
        ++i;
        while (i < html.size() && space(html[i])) ++i;
        if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
          const char quote = html[i++];
          const size_t close = html.find(quote, i);
          value = html.substr(i, close - i);
          i = close == std::string::npos ? html.size() : close + 1;
        } else {
          while (i < html.size() && !space(html[i]) && html[i] != '>') value += html[i++];
        }
      }
      tag.attributes.emplace_back(name, value);
    }
    pos = i;
    if (tag.name == "script" || tag.name == "style") {
      const size_t close = html.find("</" + tag.name, pos);
      pos = close == std::string::npos ? html.size() : close;
    }
    tags.push_back(std::move(tag));
  }
  return tags;
}

// Every URL-carrying attribute value (src, href, action, ...) of the tags of `html`.
inline std::vector<std::string> url_attributes(const std::string& html) {
  static const std::set<std::string> url_names{"src", "href", "xlink:href", "action", "formaction",
                                               "srcset", "poster", "data", "background", "ping"};
  std::vector<std::string> out;
  for (const auto& tag : html_tags(html))
    for (const auto& [name, value] : tag.attributes)
      if (url_names.count(name)) out.push_back(value);
  return out;
}

}  // namespace perseval::test
