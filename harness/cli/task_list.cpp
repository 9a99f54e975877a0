#include <algorithm>

#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "tasks/registry.h"

namespace perseval::cli {

std::vector<std::string> expand_task_list(const std::string& text) {
  std::vector<std::string> specs;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string piece = text.substr(start, comma - start);
    start = comma + 1;
    if (piece.empty()) continue;
    const bool is_param = piece.find('=') != std::string::npos && piece.find(':') == std::string::npos;
    if (is_param) {
      if (specs.empty()) throw InputError("--tasks '" + text + "': parameter '" + piece + "' has no task");
      specs.back() += (specs.back().find(':') == std::string::npos ? ":" : ",") + piece;
    } else {
      specs.push_back(piece);
    }
  }
  std::vector<std::string> expanded;
  const auto known = known_task_names();
  for (const auto& spec : specs) {
    const std::string name = spec.substr(0, spec.find(':'));
    const std::string params = spec.find(':') == std::string::npos ? "" : spec.substr(spec.find(':'));
    bool family = false;
    for (const auto& task : known) {
      if (name == "all" || task.rfind(name + "-", 0) == 0) {
        if (name != "all" && std::find(known.begin(), known.end(), name) != known.end()) break;
        // "all" means every task that runs with its defaults; a task that needs a parameter
        // (personalized-judge's file=) must be named explicitly.
        if (name == "all" && params.empty()) {
          try {
            make_task(Spec::parse(task));
          } catch (const InputError&) {
            continue;
          }
        }
        expanded.push_back(task + params);
        family = true;
      }
    }
    if (!family) expanded.push_back(spec);
  }
  return expanded;
}

}  // namespace perseval::cli
