#include "tasks/lamp/lamp_options.h"

#include <cerrno>
#include <cstdlib>
#include <set>

#include "harness/core/errors.h"

namespace perseval::lamp {

namespace {

const std::set<std::string> kKnownParams = {"split",  "scheme",   "k",      "retriever",
                                            "prompt", "truncate", "budget",
                                            "questions", "outputs"};

[[noreturn]] void bad(const Spec& spec, const std::string& key, const std::string& value,
                      const std::string& accepted) {
  throw InputError("task '" + spec.to_string() + "': parameter " + key + "='" + value +
                   "' is invalid; expected " + accepted);
}

long long integer_param(const Spec& spec, const std::string& key, long long fallback,
                        long long min_value, long long max_value) {
  const auto raw = spec.find(key);
  if (!raw) return fallback;
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(raw->c_str(), &end, 10);
  if (raw->empty() || *end != '\0' || errno == ERANGE || value < min_value ||
      value > max_value)
    bad(spec, key, *raw,
        "an integer from " + std::to_string(min_value) + " to " + std::to_string(max_value));
  return value;
}

}  // namespace

LampOptions parse_lamp_options(const Spec& spec) {
  for (const auto& [key, value] : spec.params) {
    if (!kKnownParams.count(key)) {
      std::string known;
      for (const auto& k : kKnownParams) known += (known.empty() ? "" : ", ") + k;
      throw InputError("task '" + spec.to_string() + "': unknown parameter '" + key +
                       "'; known parameters: " + known);
    }
  }
  LampOptions o;
  o.split = spec.get("split", o.split);
  if (o.split != "dev" && o.split != "train" && o.split != "test")
    bad(spec, "split", o.split, "dev, train or test");
  o.scheme = spec.get("scheme", o.scheme);
  if (o.scheme != "user" && o.scheme != "time") bad(spec, "scheme", o.scheme, "user or time");
  o.k = static_cast<int>(integer_param(spec, "k", o.k, 0, 1000000));
  if (auto r = spec.find("retriever")) {
    auto parsed = parse_retriever(*r);
    if (!parsed) bad(spec, "retriever", *r, "bm25, recency, random, random_unique or none");
    o.retriever = *parsed;
  }
  if (auto p = spec.find("prompt"); p && !parse_prompt_mode(*p, o.prompt.mode))
    bad(spec, "prompt", *p, "ppep or none");
  if (auto t = spec.find("truncate"); t && !parse_truncate_mode(*t, o.prompt.truncate))
    bad(spec, "truncate", *t, "none or words");
  o.prompt.budget = static_cast<int>(integer_param(spec, "budget", o.prompt.budget, 1, 100000000));
  o.questions_path = spec.get("questions", "");
  o.outputs_path = spec.get("outputs", "");
  if (spec.find("questions") && o.questions_path.empty())
    bad(spec, "questions", "", "a file path");
  if (spec.find("outputs") && o.outputs_path.empty()) bad(spec, "outputs", "", "a file path");
  return o;
}

Spec canonical_spec(const Variant& variant, const LampOptions& o) {
  Spec spec;
  spec.name = variant.name;
  spec.params["split"] = o.split;
  spec.params["scheme"] = o.scheme;
  spec.params["k"] = std::to_string(o.k);
  spec.params["retriever"] = retriever_name(o.retriever);
  spec.params["prompt"] = prompt_mode_name(o.prompt.mode);
  spec.params["truncate"] = truncate_mode_name(o.prompt.truncate);
  if (o.prompt.truncate == TruncateMode::words)
    spec.params["budget"] = std::to_string(o.prompt.budget);
  if (!o.questions_path.empty()) spec.params["questions"] = o.questions_path;
  if (!o.outputs_path.empty()) spec.params["outputs"] = o.outputs_path;
  return spec;
}

nlohmann::json options_json(const LampOptions& o) {
  nlohmann::json j = {{"split", o.split},
                      {"scheme", o.scheme},
                      {"k", o.k},
                      {"retriever", retriever_name(o.retriever)},
                      {"prompt", prompt_mode_name(o.prompt.mode)},
                      {"truncate", truncate_mode_name(o.prompt.truncate)},
                      {"budget", o.prompt.budget}};
  if (!o.questions_path.empty()) j["questions"] = o.questions_path;
  if (!o.outputs_path.empty()) j["outputs"] = o.outputs_path;
  return j;
}

}  // namespace perseval::lamp
