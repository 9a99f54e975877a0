#include "harness/cli/suite_plan.h"

#include <filesystem>
#include <fstream>
#include <set>

#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "harness/core/spec.h"

namespace perseval::cli {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kKeys{"name",     "db",         "report",      "models",        "tasks",
                                  "judge",    "judge_samples", "embedder", "limit",         "seed",
                                  "data_dir", "cache",      "prices",      "max_in_flight", "threads",
                                  "output_path", "log_samples"};

[[noreturn]] void bad(const std::string& file, const std::string& key, const std::string& expected) {
  throw InputError(file + ": suite key \"" + key + "\": " + expected);
}

std::string string_at(const json& plan, const std::string& file, const std::string& key) {
  const json& v = plan.at(key);
  if (!v.is_string()) bad(file, key, "expected a string");
  return v.get<std::string>();
}

long long integer_at(const json& plan, const std::string& file, const std::string& key) {
  const json& v = plan.at(key);
  if (!v.is_number_integer()) bad(file, key, "expected an integer");
  return v.get<long long>();
}

// A path from the plan, relative to the plan's directory.
std::string path_at(const json& plan, const std::string& file, const std::string& key) {
  const fs::path p = string_at(plan, file, key);
  if (p.empty() || p.is_absolute()) return p.string();
  return (fs::path(file).parent_path() / p).lexically_normal().string();
}

// A grid value as spec text: strings as they are, numbers and booleans as JSON writes them.
std::string grid_value(const json& v, const std::string& file, const std::string& param) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  bad(file, "tasks", "grid values of \"" + param + "\" must be strings, numbers or booleans");
}

// The specs of one "tasks" entry.
std::vector<std::string> expand_entry(const json& entry, const std::string& file) {
  if (entry.is_string()) return expand_task_list(entry.get<std::string>());
  if (!entry.is_object() || !entry.contains("task") || !entry["task"].is_string())
    bad(file, "tasks", "each entry is a spec string or {\"task\": SPEC, \"grid\": {PARAM: [values]}}");
  for (const auto& [k, v] : entry.items())
    if (k != "task" && k != "grid") bad(file, "tasks", "unknown entry key \"" + k + "\" (task, grid)");
  std::vector<Spec> specs{Spec::parse(entry["task"].get<std::string>())};
  if (entry.contains("grid")) {
    const json& grid = entry["grid"];
    if (!grid.is_object()) bad(file, "tasks", "\"grid\" must be an object {PARAM: [values]}");
    for (const auto& [param, values] : grid.items()) {
      if (!values.is_array() || values.empty()) bad(file, "tasks", "grid \"" + param + "\" must be a non-empty list");
      std::vector<Spec> next;
      for (const auto& spec : specs)
        for (const auto& value : values) {
          Spec s = spec;
          s.params[param] = grid_value(value, file, param);
          next.push_back(std::move(s));
        }
      specs = std::move(next);
    }
  }
  std::vector<std::string> out;
  for (const auto& s : specs) out.push_back(s.to_string());
  return out;
}

}  // namespace

SuitePlan parse_suite_plan(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw InputError(file + ": cannot read the suite file");
  json plan;
  try {
    plan = json::parse(in);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number overflow
    throw InputError(file + ": not valid JSON (" + e.what() + ")");
  }
  if (!plan.is_object()) throw InputError(file + ": a suite is a JSON object (see README, perseval suite)");
  for (const auto& [key, value] : plan.items())
    if (!kKeys.count(key)) bad(file, key, "unknown key");

  SuitePlan out;
  out.name = plan.contains("name") ? string_at(plan, file, "name") : fs::path(file).stem().string();
  if (!plan.contains("models") || !plan["models"].is_array() || plan["models"].empty())
    bad(file, "models", "expected a non-empty list of model specs");
  for (const auto& m : plan["models"]) {
    if (!m.is_string()) bad(file, "models", "expected model spec strings");
    out.models.push_back(m.get<std::string>());
  }
  if (!plan.contains("tasks") || !plan["tasks"].is_array() || plan["tasks"].empty())
    bad(file, "tasks", "expected a non-empty list of task specs");
  for (const auto& entry : plan["tasks"])
    for (auto& spec : expand_entry(entry, file)) out.tasks.push_back(std::move(spec));

  EvaluateOptions& o = out.options;
  o.db_path = plan.contains("db") ? path_at(plan, file, "db") : std::string(kDefaultDb);
  if (plan.contains("report")) out.report_path = path_at(plan, file, "report");
  if (plan.contains("data_dir")) o.data_dir = path_at(plan, file, "data_dir");
  if (plan.contains("cache")) o.cache_path = path_at(plan, file, "cache");
  if (plan.contains("prices")) o.prices_path = path_at(plan, file, "prices");
  if (plan.contains("output_path")) o.output_path = path_at(plan, file, "output_path");
  if (plan.contains("log_samples")) {
    if (!plan["log_samples"].is_boolean()) bad(file, "log_samples", "expected true or false");
    o.log_samples = plan["log_samples"].get<bool>();
    if (o.log_samples && o.output_path.empty()) bad(file, "log_samples", "needs \"output_path\"");
  }
  if (plan.contains("judge")) o.judge_spec = string_at(plan, file, "judge");
  if (plan.contains("embedder")) o.embedder_spec = string_at(plan, file, "embedder");
  if (plan.contains("judge_samples")) {
    o.judge_samples = static_cast<int>(integer_at(plan, file, "judge_samples"));
    if (o.judge_samples < 1 || o.judge_samples > 100) bad(file, "judge_samples", "expected 1..100");
  }
  if (plan.contains("limit")) o.limit = integer_at(plan, file, "limit");
  if (plan.contains("seed")) {
    if (!plan["seed"].is_number_unsigned()) bad(file, "seed", "expected a non-negative integer");
    o.seed = plan["seed"].get<uint64_t>();
  }
  if (plan.contains("max_in_flight")) {
    o.max_in_flight = static_cast<int>(integer_at(plan, file, "max_in_flight"));
    if (o.max_in_flight < 1) bad(file, "max_in_flight", "expected >= 1");
  }
  if (plan.contains("threads")) {
    o.threads = static_cast<int>(integer_at(plan, file, "threads"));
    if (o.threads < 0) bad(file, "threads", "expected >= 0");
  }
  return out;
}

}  // namespace perseval::cli
