#include "tasks/registry.h"

#include "harness/core/errors.h"
#include "tasks/lamp/lamp_task.h"
#include "tasks/lamp/lamp_variant.h"

namespace perseval {

std::unique_ptr<Task> make_task(const Spec& spec) {
  if (auto task = lamp::make_lamp_task(spec)) return task;
  std::string known;
  for (const auto& name : known_task_names()) known += (known.empty() ? "" : ", ") + name;
  throw InputError("unknown task '" + spec.name + "'; known tasks: " + known);
}

std::vector<std::string> known_task_names() {
  std::vector<std::string> names;
  for (const auto& v : lamp::all_variants()) names.push_back(v.name);
  return names;
}

}  // namespace perseval
