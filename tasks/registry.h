// The task registry: every benchmark task perseval knows, found by name. An explicit list in
// registry.cpp (no static-initialisation tricks, DESIGN.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness/core/spec.h"
#include "harness/core/task.h"

namespace perseval {

// Builds the task `spec` names, with its parameters. Throws InputError on an unknown name
// (the message lists the known tasks) or on a bad/unknown parameter. Never returns null.
std::unique_ptr<Task> make_task(const Spec& spec);

// Every task name make_task accepts, in a stable order.
std::vector<std::string> known_task_names();

}  // namespace perseval
