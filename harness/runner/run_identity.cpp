#include "harness/runner/run_identity.h"

#include <chrono>
#include <ctime>

#include "harness/core/hash.h"

namespace perseval {

std::string dataset_fingerprint(const std::vector<std::string>& files) {
  uint64_t h = fnv1a64("");
  for (const auto& file : files) h = fnv1a64(file_fingerprint(file), h);
  return "fnv1a64:" + hex64(h);
}

json gen_config_json(const GenConfig& gen) {
  json j{{"max_tokens", gen.max_tokens}, {"temperature", gen.temperature}, {"n", gen.n},
         {"logprobs", gen.logprobs}, {"top_logprobs", gen.top_logprobs}, {"stop", gen.stop}};
  j["top_p"] = gen.top_p ? json(*gen.top_p) : json(nullptr);
  j["seed"] = gen.seed ? json(*gen.seed) : json(nullptr);
  return j;
}

std::string config_key(const TaskInfo& task, const ModelInfo& model, const std::string& fingerprint,
                       uint64_t seed, long long limit, const json& judge) {
  json identity{{"task", task.name},          {"task_version", task.version},
                      {"model", model.name},        {"model_identity", model.identity},
                      {"gen", gen_config_json(task.gen)}, {"data", fingerprint},
                      {"seed", seed},               {"limit", limit}};
  // Without a judge the key stays what it was, so existing runs still resume.
  if (!judge.is_null()) identity["judge"] = judge;
  return hex64(fnv1a64(identity.dump()));
}

std::string new_run_id(const std::string& config_key) {
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  return hex64(mix64(fnv1a64(config_key) ^ static_cast<uint64_t>(now))).substr(0, 12);
}

}  // namespace perseval
