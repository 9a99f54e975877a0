// `perseval list tasks|models|runs` and `perseval show RUN_ID`.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "adapters/registry.h"
#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "harness/core/terminal_text.h"
#include "harness/store/store.h"
#include "tasks/registry.h"

namespace perseval::cli {

namespace {

json run_json(const RunRecord& r) {
  return json{{"run_id", r.run_id},
              {"config_key", r.config_key},
              {"task", r.task},
              {"task_version", r.task_version},
              {"task_params", r.task_params},
              {"model", r.model},
              {"model_identity", r.model_identity},
              {"gen_config", r.gen_config},
              {"dataset_fingerprint", r.dataset_fingerprint},
              {"seed", r.seed},
              {"limit", r.limit},
              {"harness_version", r.harness_version},
              {"git_revision", r.git_revision},
              {"started_at", r.started_at},
              {"finished_at", r.finished_at},
              {"status", r.status},
              {"n", r.n_total},
              {"wall_s", r.wall_s},
              {"notes", r.notes}};
}

}  // namespace

int cmd_list(int argc, char** argv) {
  Args args(argc, argv, 0, {"db"}, {"json"});
  if (args.positionals().size() != 1)
    throw InputError("usage: perseval list tasks|models|runs [--db FILE]");
  const std::string what = args.positionals()[0];
  if (what == "tasks") {
    for (const auto& name : known_task_names()) std::cout << name << "\n";
  } else if (what == "models") {
    for (const auto& line : known_model_descriptions()) std::cout << line << "\n";
  } else if (what == "runs") {
    auto store = Store::open(args.value_or("db", kDefaultDb));
    const auto runs = store->list_runs();
    if (args.has("json")) {
      json out = json::array();
      for (const auto& r : runs) out.push_back(run_json(r));
      std::cout << out.dump(2) << "\n";
      return 0;
    }
    for (const auto& r : runs)
      std::printf("%s  %-11s  n=%-6lld %s  %s  %s\n", r.run_id.c_str(), r.status.c_str(),
                  r.n_total, r.started_at.c_str(), r.model.c_str(), r.task.c_str());
  } else {
    throw InputError("list: unknown kind '" + what + "' (expected tasks, models or runs)");
  }
  return 0;
}

int cmd_show(int argc, char** argv) {
  Args args(argc, argv, 0, {"db"}, {"json"});
  if (args.positionals().size() != 1) throw InputError("usage: perseval show RUN_ID [--db FILE]");
  auto store = Store::open(args.value_or("db", kDefaultDb));
  const auto run = store->get_run(args.positionals()[0]);
  if (!run) throw InputError("no run '" + args.positionals()[0] + "' in the database");
  json out = run_json(*run);
  json metrics = json::array();
  for (const auto& m : store->read_metrics(run->run_id)) {
    json j{{"slice_key", m.slice_key}, {"slice_value", m.slice_value}, {"name", m.metric.name},
           {"value", m.metric.value}, {"n", m.metric.n}};
    j["ci_low"] = m.metric.ci_low ? json(*m.metric.ci_low) : json(nullptr);
    j["ci_high"] = m.metric.ci_high ? json(*m.metric.ci_high) : json(nullptr);
    metrics.push_back(j);
  }
  out["metrics"] = metrics;
  if (args.has("json")) {
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  for (const auto& [key, value] : out.items()) {
    if (key == "metrics") continue;
    std::cout << key << ": " << terminal_safe(value.is_string() ? value.get<std::string>() : value.dump())
              << "\n";
  }
  std::cout << "metrics:\n";
  for (const auto& m : metrics) {
    std::string slice = m["slice_key"].get<std::string>();
    if (!slice.empty()) slice = " [" + slice + "=" + m["slice_value"].get<std::string>() + "]";
    std::printf("  %-22s %10.4f  n=%-6lld%s%s\n", m["name"].get<std::string>().c_str(),
                m["value"].is_number() ? m["value"].get<double>() : NAN,
                m["n"].get<long long>(),
                m["ci_low"].is_null() ? "" : ("  95% CI [" + std::to_string(m["ci_low"].get<double>()) + ", " +
                                              std::to_string(m["ci_high"].get<double>()) + "]").c_str(),
                slice.c_str());
  }
  return 0;
}

}  // namespace perseval::cli
