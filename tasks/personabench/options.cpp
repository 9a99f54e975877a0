#include "tasks/personabench/options.h"

#include <algorithm>

#include "harness/core/errors.h"
#include "tasks/personabench/layout.h"

namespace perseval::personabench {

Options parse_options(const Spec& spec) {
  const std::string task = spec.to_string();
  for (const auto& [key, value] : spec.params)
    if (key != "noise" && key != "retriever" && key != "k" && key != "prompt")
      throw InputError("task '" + task + "': unknown parameter '" + key +
                       "' (expected: noise, retriever, k, prompt)");
  Options o;
  o.noise = spec.get("noise", o.noise);
  const auto& levels = known_noise_levels();
  if (std::find(levels.begin(), levels.end(), o.noise) == levels.end())
    throw InputError("task '" + task + "': noise must be one of 0.0, 0.3, 0.5, 0.7 (got '" + o.noise + "')");
  const std::string retriever = spec.get("retriever", "bm25");
  if (retriever == "bm25") o.retriever = Retriever::bm25;
  else if (retriever == "dense") o.retriever = Retriever::dense;
  else if (retriever == "oracle" || retriever == "gt-context") o.retriever = Retriever::oracle;
  else
    throw InputError("task '" + task + "': retriever must be bm25, dense or oracle (got '" + retriever + "')");
  long long k = 5;
  try {
    k = spec.get_int("k", 5);
  } catch (const std::invalid_argument& e) {
    throw InputError("task '" + task + "': " + e.what());
  }
  if (k < 1 || k > 100) throw InputError("task '" + task + "': k must be in 1..100");
  o.k = static_cast<std::size_t>(k);
  const std::string prompt = spec.get("prompt", "official");
  if (prompt == "official") o.prompt = PromptMode::official;
  else if (prompt == "plain") o.prompt = PromptMode::plain;
  else throw InputError("task '" + task + "': prompt must be official or plain (got '" + prompt + "')");
  return o;
}

std::string retriever_name(Retriever retriever) {
  switch (retriever) {
    case Retriever::bm25: return "bm25";
    case Retriever::dense: return "dense";
    case Retriever::oracle: return "oracle";
  }
  return "";
}

Spec canonical_spec(const Options& o) {
  Spec s;
  s.name = "personabench";
  s.params["noise"] = o.noise;
  s.params["retriever"] = retriever_name(o.retriever);
  s.params["k"] = std::to_string(o.k);
  s.params["prompt"] = o.prompt == PromptMode::official ? "official" : "plain";
  return s;
}

json options_json(const Options& o) {
  return json{{"noise", o.noise},
              {"retriever", retriever_name(o.retriever)},
              {"k", o.k},
              {"prompt", o.prompt == PromptMode::official ? "official" : "plain"}};
}

}  // namespace perseval::personabench
