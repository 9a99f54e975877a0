#include "adapters/registry.h"

#include "adapters/baseline/baseline_model.h"
#include "adapters/exec/exec_model.h"
#include "adapters/openai/openai_model.h"
#include "harness/core/errors.h"

namespace perseval {

std::unique_ptr<Model> make_model(const Spec& spec) {
  if (spec.name == "baseline") return make_baseline_model(spec);
  if (spec.name == "openai") return make_openai_model(spec);
  if (spec.name == "exec") return make_exec_model(spec);
  throw InputError("unknown model '" + spec.name + "' (known: baseline, openai, exec)");
}

std::unique_ptr<Embedder> make_embedder(const Spec& spec) {
  if (spec.name == "openai") return make_openai_model(spec);
  throw InputError("--embedder '" + spec.name +
                   "': only openai:model=NAME,base_url=URL (an /v1/embeddings endpoint) can embed");
}

std::vector<std::string> known_model_descriptions() {
  return {
      "baseline:kind=random    seeded random label/rating, or a random profile output for text",
      "baseline:kind=majority  the user's most frequent profile label / median rating",
      "baseline:kind=nearest   the output of the BM25-nearest profile item",
      "baseline:kind=longest   the longest option (multiple choice), else the longest candidate",
      "openai:model=NAME       an OpenAI-compatible server; base_url=URL[|URL...], endpoint=chat|completions, "
      "concurrency, rpm, tpm, timeout_s, max_retries, adaptive, api_key_env (key from the environment only), "
      "temperature, max_tokens, top_p, seed, logprobs, top_logprobs, header.NAME, body.KEY",
      "exec:cmd=CMD            a local model behind a subprocess speaking JSON lines on stdin/stdout; "
      "concurrency, timeout_s, max_restarts, shell=0|1, cwd, name (CMD cannot contain a comma)",
  };
}

}  // namespace perseval
