#include "harness/runner/aggregate.h"

#include <map>

#include "harness/core/hash.h"

namespace perseval {

namespace {

ScoredSample to_scored(const SampleRow& row) {
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
  return s;
}

}  // namespace

std::vector<ScoredSample> to_scored_samples(std::span<const SampleRow> rows) {
  std::vector<ScoredSample> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(to_scored(row));
  return out;
}

std::vector<ScoredSample> to_scored_samples(std::vector<SampleRow>&& rows) {
  std::vector<ScoredSample> out;
  out.reserve(rows.size());
  for (auto& row : rows) {
    out.push_back(to_scored(row));
    row = SampleRow();  // release this row now
  }
  rows.clear();
  rows.shrink_to_fit();
  return out;
}

std::vector<StoredMetric> aggregate_run(const Task& task, std::span<const SampleRow> rows,
                                        uint64_t seed, size_t max_slice_values) {
  return aggregate_scored(task, to_scored_samples(rows), seed, max_slice_values);
}

std::vector<StoredMetric> aggregate_scored(const Task& task, std::span<const ScoredSample> samples,
                                           uint64_t seed, size_t max_slice_values) {
  std::vector<StoredMetric> out;
  for (auto& m : task.aggregate(samples, seed)) out.push_back({"", "", std::move(m)});

  for (const auto& key : task.info().slice_keys) {
    // Count the values first: a key with a group per sample (e.g. one user per question) is
    // skipped without copying every sample into its own group.
    std::map<std::string, size_t> sizes;
    for (const auto& s : samples) {
      auto it = s.slices.find(key);
      if (it != s.slices.end() && (++sizes[it->second], sizes.size() > max_slice_values)) break;
    }
    if (sizes.size() < 2 || sizes.size() > max_slice_values) continue;
    std::map<std::string, std::vector<ScoredSample>> groups;
    for (const auto& [value, size] : sizes) groups[value].reserve(size);
    for (const auto& s : samples) {
      auto it = s.slices.find(key);
      if (it != s.slices.end()) groups[it->second].push_back(s);
    }
    for (const auto& [value, group] : groups) {
      const uint64_t slice_seed = mix64(seed ^ fnv1a64(key + "=" + value));
      for (auto& m : task.aggregate(group, slice_seed)) out.push_back({key, value, std::move(m)});
    }
  }
  return out;
}

}  // namespace perseval
