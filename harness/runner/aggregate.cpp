#include "harness/runner/aggregate.h"

#include <map>

#include "harness/core/hash.h"

namespace perseval {

std::vector<ScoredSample> to_scored_samples(std::span<const SampleRow> rows) {
  std::vector<ScoredSample> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    ScoredSample s;
    s.sample_id = row.sample_id;
    s.user_id = row.user_id;
    for (const auto& [k, v] : row.slices.items())
      s.slices[k] = v.is_string() ? v.get<std::string>() : v.dump();
    s.target = row.target;
    s.output = row.output;
    s.failed = row.error.has_value();
    s.scores.parsed_answer = row.parsed;
    for (const auto& [k, v] : row.scores.items())
      if (v.is_number()) s.scores.values[k] = v.get<double>();
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<StoredMetric> aggregate_run(const Task& task, std::span<const SampleRow> rows,
                                        uint64_t seed, size_t max_slice_values) {
  const std::vector<ScoredSample> samples = to_scored_samples(rows);
  std::vector<StoredMetric> out;
  for (auto& m : task.aggregate(samples, seed)) out.push_back({"", "", std::move(m)});

  for (const auto& key : task.info().slice_keys) {
    std::map<std::string, std::vector<ScoredSample>> groups;
    for (const auto& s : samples) {
      auto it = s.slices.find(key);
      if (it != s.slices.end()) groups[it->second].push_back(s);
    }
    if (groups.size() < 2 || groups.size() > max_slice_values) continue;
    for (const auto& [value, group] : groups) {
      const uint64_t slice_seed = mix64(seed ^ fnv1a64(key + "=" + value));
      for (auto& m : task.aggregate(group, slice_seed)) out.push_back({key, value, std::move(m)});
    }
  }
  return out;
}

}  // namespace perseval
