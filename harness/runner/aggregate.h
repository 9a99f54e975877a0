// Turns a run's stored rows into its aggregate metrics: the whole run plus each slice.
#pragma once

#include <span>
#include <vector>

#include "harness/core/task.h"
#include "harness/store/store.h"

namespace perseval {

// Converts stored rows back into what Task::aggregate reads.
std::vector<ScoredSample> to_scored_samples(std::span<const SampleRow> rows);
// The same, consuming `rows`: each row's memory is released as it is converted, so the
// peak holds about one copy of the run instead of two.
std::vector<ScoredSample> to_scored_samples(std::vector<SampleRow>&& rows);

// Metrics of the whole run (slice_key "") and of every value of each of the task's slice
// keys that splits the run into 2..max_slice_values groups (a key with one value repeats the
// whole run; one with a group per sample says nothing). Seeded, so reproducible.
std::vector<StoredMetric> aggregate_run(const Task& task, std::span<const SampleRow> rows,
                                        uint64_t seed, size_t max_slice_values = 500);
// aggregate_run on already converted samples.
std::vector<StoredMetric> aggregate_scored(const Task& task, std::span<const ScoredSample> samples,
                                           uint64_t seed, size_t max_slice_values = 500);

}  // namespace perseval
