// Task parameters of a LaMP variant: `lamp-2:k=4,retriever=bm25,split=dev` (DESIGN.md).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/core/spec.h"
#include "tasks/lamp/lamp_prompt.h"
#include "tasks/lamp/lamp_retrieval.h"
#include "tasks/lamp/lamp_variant.h"

namespace perseval::lamp {

struct LampOptions {
  std::string split = "dev";    // dev | train | test
  std::string scheme = "user";  // user | time
  int k = 1;                    // items retrieved; 1 is evaluate_llm.py's default
  Retriever retriever = Retriever::bm25;
  PromptOptions prompt;         // prompt=ppep|none, truncate=none|words, budget (words)
  std::string questions_path;   // explicit files override the data-directory layout
  std::string outputs_path;
};

// Parses and validates `spec.params` (spec.name is not checked here). Throws InputError
// naming the parameter and the accepted values on an unknown parameter or a bad value.
LampOptions parse_lamp_options(const Spec& spec);

// The canonical spec of a variant + options, every default filled in: split, scheme, k,
// retriever, prompt, truncate; `budget` only with truncate=words (elsewhere it changes
// nothing, and keeping it out keeps task names of otherwise identical runs equal);
// `questions`/`outputs` when given. The run seed is not a task parameter: the runner puts
// hash(run seed, sample id) into Sample::seed before render.
Spec canonical_spec(const Variant& variant, const LampOptions& options);

// Every parameter, defaults included, for TaskInfo::params (run identity).
nlohmann::json options_json(const LampOptions& options);

}  // namespace perseval::lamp
