// The parameters of `personabench:noise=0.5,retriever=bm25,k=5,prompt=official`.
#pragma once

#include <cstddef>
#include <string>

#include "harness/core/spec.h"
#include "harness/core/types.h"
#include "tasks/personabench/corpus.h"
#include "tasks/personabench/prompt.h"

namespace perseval::personabench {

struct Options {
  std::string noise = "0.5";  // 0.0 | 0.3 | 0.5 | 0.7 (the paper's tables use 0.5)
  Retriever retriever = Retriever::bm25;
  std::size_t k = 5;          // chunks per prompt (the official num_chunks)
  PromptMode prompt = PromptMode::official;
};

// Reads the spec's parameters. Throws InputError naming the parameter on an unknown key or
// a bad value (noise outside the released levels, k outside 1..100, unknown retriever or
// prompt).
Options parse_options(const Spec& spec);

// "bm25", "dense" or "oracle".
std::string retriever_name(Retriever retriever);

// The canonical spec with every default filled in, e.g.
// "personabench:k=5,noise=0.5,prompt=official,retriever=bm25".
Spec canonical_spec(const Options& options);

// The parameters as JSON (run identity).
json options_json(const Options& options);

}  // namespace perseval::personabench
