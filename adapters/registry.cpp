#include "adapters/registry.h"

#include "adapters/baseline/baseline_model.h"
#include "harness/core/errors.h"

namespace perseval {

std::unique_ptr<Model> make_model(const Spec& spec) {
  if (spec.name == "baseline") return make_baseline_model(spec);
  throw InputError("unknown model '" + spec.name + "' (known: baseline)");
}

std::vector<std::string> known_model_descriptions() {
  return {
      "baseline:kind=random    seeded random label/rating, or a random profile output for text",
      "baseline:kind=majority  the user's most frequent profile label / median rating",
      "baseline:kind=nearest   the output of the BM25-nearest profile item",
  };
}

}  // namespace perseval
