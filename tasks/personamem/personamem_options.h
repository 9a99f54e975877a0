// Task parameters of `personamem:size=32k|128k|1M,...` (personamem.md §5, §7) and their
// canonical spec, which is the task's name in the run identity.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "harness/core/spec.h"
#include "tasks/personamem/question_types.h"

namespace perseval::personamem {

// Which part of the conversation a question sees.
enum class ContextMode {
  full,  // messages[:end_index_in_shared_context], as upstream
  none,  // no history at all: the known no-context shortcut control (upstream issue #41)
};

struct PersonamemOptions {
  std::string size = "32k";  // 32k | 128k | 1M: picks the files and the type table
  // Fold every system message into the next message as "[System]: ...\n" and merge
  // consecutive same-role messages, for endpoints that reject system messages mid-
  // conversation. Upstream does this whenever the model name contains 'o'; perseval cannot
  // see the model name, so the choice is explicit and part of the task name.
  bool system_merge = false;
  ContextMode context = ContextMode::full;
  // With context=full: keep only the most recent history messages whose contents total at
  // most `budget` characters (Unicode code points), for small-context models. 0 = no limit.
  long long budget = 0;
  TypeMap type_map = TypeMap::format;
  std::string questions_path;  // explicit files instead of the data-directory layout;
  std::string contexts_path;   // given together or not at all
};

// Parses and validates `spec.params` (the name is not checked). Throws InputError naming the
// parameter and the accepted values for an unknown parameter or a bad value.
PersonamemOptions parse_personamem_options(const Spec& spec);

// The canonical spec with every default filled in: context, size, system_merge (0/1),
// type_map; budget only when set (with context=full); questions/contexts when given.
Spec canonical_spec(const PersonamemOptions& options);

// Every parameter, defaults included, for TaskInfo::params.
nlohmann::json options_json(const PersonamemOptions& options);

const char* context_mode_name(ContextMode mode);
const char* type_map_name(TypeMap map);

}  // namespace perseval::personamem
