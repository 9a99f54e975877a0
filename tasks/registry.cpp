#include "tasks/registry.h"

#include "harness/core/errors.h"
#include "tasks/lamp/lamp_task.h"
#include "tasks/lamp/lamp_variant.h"
#include "tasks/personamem/personamem_task.h"
#include "tasks/personabench/personabench_task.h"
#include "tasks/personafeedback/personafeedback_task.h"
#include "tasks/personalized_judge/personalized_judge_task.h"
#include "tasks/penguin/penguin_task.h"

namespace perseval {

std::unique_ptr<Task> make_task(const Spec& spec) {
  if (auto task = lamp::make_lamp_task(spec)) return task;
  if (auto task = personamem::make_personamem_task(spec)) return task;
  if (auto task = personabench::make_personabench_task(spec)) return task;
  if (auto task = personafeedback::make_personafeedback_task(spec)) return task;
  if (auto task = personalized_judge::make_personalized_judge_task(spec)) return task;
  if (auto task = penguin::make_penguin_task(spec)) return task;
  std::string known;
  for (const auto& name : known_task_names()) known += (known.empty() ? "" : ", ") + name;
  throw InputError("unknown task '" + spec.name + "'; known tasks: " + known);
}

std::vector<std::string> known_task_names() {
  std::vector<std::string> names;
  for (const auto& v : lamp::all_variants()) names.push_back(v.name);
  names.push_back("personamem");
  names.push_back("personabench");
  names.push_back("personafeedback");
  names.push_back("personalized-judge");
  names.push_back("penguin");
  return names;
}

}  // namespace perseval
