// The model registry: every adapter family by name, in one list.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness/core/embedder.h"
#include "harness/core/model.h"
#include "harness/core/spec.h"

namespace perseval {

// Creates the model a spec names (`baseline:kind=majority`). Throws InputError for an
// unknown family (listing the known ones) or bad parameters.
std::unique_ptr<Model> make_model(const Spec& spec);

// Creates the embeddings model an `--embedder` spec names (`openai:model=NAME,base_url=URL`,
// using the server's /v1/embeddings). Throws InputError for a family that cannot embed or
// bad parameters.
std::unique_ptr<Embedder> make_embedder(const Spec& spec);

// One line per known model family: "name — what it is, its parameters".
std::vector<std::string> known_model_descriptions();

}  // namespace perseval
