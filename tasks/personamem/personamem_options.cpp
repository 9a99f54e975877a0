#include "tasks/personamem/personamem_options.h"

#include <cerrno>
#include <cstdlib>
#include <set>

#include "harness/core/errors.h"

namespace perseval::personamem {

namespace {

const std::set<std::string> kKnownParams = {"size",     "system_merge", "context", "budget",
                                            "type_map", "questions",    "contexts"};

[[noreturn]] void bad(const Spec& spec, const std::string& key, const std::string& value,
                      const std::string& accepted) {
  throw InputError("task '" + spec.to_string() + "': parameter " + key + "='" + value +
                   "' is invalid; expected " + accepted);
}

}  // namespace

const char* context_mode_name(ContextMode mode) {
  return mode == ContextMode::none ? "none" : "full";
}

const char* type_map_name(TypeMap map) { return map == TypeMap::literal ? "literal" : "format"; }

PersonamemOptions parse_personamem_options(const Spec& spec) {
  for (const auto& [key, value] : spec.params) {
    if (!kKnownParams.count(key)) {
      std::string known;
      for (const auto& k : kKnownParams) known += (known.empty() ? "" : ", ") + k;
      throw InputError("task '" + spec.to_string() + "': unknown parameter '" + key +
                       "'; known parameters: " + known);
    }
  }
  PersonamemOptions o;
  o.size = spec.get("size", o.size);
  if (o.size != "32k" && o.size != "128k" && o.size != "1M")
    bad(spec, "size", o.size, "32k, 128k or 1M");

  if (auto merge = spec.find("system_merge")) {
    if (*merge == "1" || *merge == "always")
      o.system_merge = true;
    else if (*merge == "0" || *merge == "never")
      o.system_merge = false;
    else if (*merge == "upstream")
      bad(spec, "system_merge", *merge,
          "0 or 1 (upstream merges when the model name contains the letter 'o'; the task "
          "cannot see the model, so choose explicitly)");
    else
      bad(spec, "system_merge", *merge, "0 or 1");
  }

  if (auto context = spec.find("context")) {
    if (*context == "full")
      o.context = ContextMode::full;
    else if (*context == "none")
      o.context = ContextMode::none;
    else
      bad(spec, "context", *context, "full or none");
  }

  if (auto budget = spec.find("budget")) {
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(budget->c_str(), &end, 10);
    if (budget->empty() || *end != '\0' || errno == ERANGE || value < 1)
      bad(spec, "budget", *budget, "a positive number of characters");
    if (o.context == ContextMode::none)
      bad(spec, "budget", *budget, "no budget with context=none (there is no history to cut)");
    o.budget = value;
  }

  if (auto map = spec.find("type_map")) {
    if (*map == "format")
      o.type_map = TypeMap::format;
    else if (*map == "literal")
      o.type_map = TypeMap::literal;
    else
      bad(spec, "type_map", *map, "format or literal");
  }

  o.questions_path = spec.get("questions", "");
  o.contexts_path = spec.get("contexts", "");
  if (spec.find("questions") && o.questions_path.empty()) bad(spec, "questions", "", "a file path");
  if (spec.find("contexts") && o.contexts_path.empty()) bad(spec, "contexts", "", "a file path");
  if (o.questions_path.empty() != o.contexts_path.empty())
    throw InputError("task '" + spec.to_string() +
                     "': questions= and contexts= must be given together (a questions CSV "
                     "and its shared-contexts JSONL)");
  return o;
}

Spec canonical_spec(const PersonamemOptions& o) {
  Spec spec;
  spec.name = "personamem";
  spec.params["size"] = o.size;
  spec.params["system_merge"] = o.system_merge ? "1" : "0";
  spec.params["context"] = context_mode_name(o.context);
  spec.params["type_map"] = type_map_name(o.type_map);
  if (o.budget > 0) spec.params["budget"] = std::to_string(o.budget);
  if (!o.questions_path.empty()) spec.params["questions"] = o.questions_path;
  if (!o.contexts_path.empty()) spec.params["contexts"] = o.contexts_path;
  return spec;
}

nlohmann::json options_json(const PersonamemOptions& o) {
  nlohmann::json j = {{"size", o.size},
                      {"system_merge", o.system_merge},
                      {"context", context_mode_name(o.context)},
                      {"budget", o.budget},
                      {"budget_unit", "characters"},
                      {"type_map", type_map_name(o.type_map)}};
  if (!o.questions_path.empty()) j["questions"] = o.questions_path;
  if (!o.contexts_path.empty()) j["contexts"] = o.contexts_path;
  return j;
}

}  // namespace perseval::personamem
