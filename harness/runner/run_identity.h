// Run identity: what makes two runs "the same configuration" and how runs are named.
#pragma once

#include <string>
#include <vector>

#include "harness/core/model.h"
#include "harness/core/task.h"
#include "harness/core/time_text.h"

namespace perseval {

// Fingerprint of a data set: the per-file fingerprints of `files` combined, in order.
// Throws std::runtime_error naming an unreadable file.
std::string dataset_fingerprint(const std::vector<std::string>& files);

// The key shared by reruns of one configuration: task spec + version, model identity,
// generation config, dataset fingerprint, seed, limit and the judge (model identity and
// draws; null without a judge). Stable across processes.
std::string config_key(const TaskInfo& task, const ModelInfo& model, const std::string& fingerprint,
                       uint64_t seed, long long limit, const json& judge = nullptr);

// A fresh run id: 12 hex characters derived from the config key and the current time.
std::string new_run_id(const std::string& config_key);

// The generation config as JSON (for the run record).
json gen_config_json(const GenConfig& gen);

}  // namespace perseval
