// Comparable pictures of what a perseval database holds, for tests that check a result
// survived a crash or a storage fault unchanged, or equals an uninterrupted run's.
#pragma once

#include <bit>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/store/store.h"

namespace perseval::test {

// A run's rows by sample id, each with every stored field that depends neither on timing
// nor on the request cache (so not latency, tokens, attempts or `cached`).
inline std::map<std::string, std::string> sample_rows(Store& store, const std::string& run_id) {
  std::map<std::string, std::string> rows;
  for (const auto& r : store.read_samples(run_id))
    rows[r.sample_id] = std::to_string(r.seq) + "|" + r.user_id + "|" + r.slices.dump() + "|" + r.prompt_hash +
                        "|" + r.target + "|" + r.output + "|" + r.parsed + "|" + r.scores.dump() + "|" +
                        (r.error ? "error: " + *r.error : "ok");
  return rows;
}

// A run's metrics in stored order, every double as its bit pattern: equal lists mean the
// same names, slices, n, values and intervals bit for bit.
inline std::vector<std::string> metric_bits(Store& store, const std::string& run_id) {
  auto bits = [](std::optional<double> v) {
    return v ? std::to_string(std::bit_cast<uint64_t>(*v)) : std::string("none");
  };
  std::vector<std::string> out;
  for (const auto& m : store.read_metrics(run_id))
    out.push_back(m.slice_key + "=" + m.slice_value + " " + m.metric.name + " " + bits(m.metric.value) + " [" +
                  bits(m.metric.ci_low) + ", " + bits(m.metric.ci_high) + "] n=" + std::to_string(m.metric.n));
  return out;
}

// Everything a database holds about its runs (ids, tasks, statuses, rows, metrics) as one
// string: equal snapshots mean nothing was lost or added.
inline std::string database_snapshot(const std::string& path) {
  auto store = Store::open(path);
  std::string out;
  for (const auto& run : store->list_runs()) {
    out += "run " + run.run_id + " " + run.task + " " + run.status + " n=" + std::to_string(run.n_total) + "\n";
    for (const auto& [id, row] : sample_rows(*store, run.run_id)) out += "  " + id + " " + row + "\n";
    for (const auto& metric : metric_bits(*store, run.run_id)) out += "  " + metric + "\n";
  }
  return out;
}

}  // namespace perseval::test
