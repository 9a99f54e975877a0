// PersonaBench's prompt (retrieval_and_generation.py, personabench.md §3 step 4).
#pragma once

#include <string>
#include <vector>

namespace perseval::personabench {

// How the retrieved chunks are shown to the model.
enum class PromptMode {
  official,  // byte-for-byte the official prompt: {doc} is str() of a NumPy array of chunks
  plain,     // labelled variant: the same instruction, chunks separated by blank lines
};

// The single user message: "You are provided with the following relevant information:
// {doc}.\nAnswer the question below as directly and concisely as possible, using only the
// name(s) of the relevant entity or entities. Avoid adding any extra words or
// explanations.\n\nQuestion: {query}". official: doc = numpy_str_array(chunks) (each
// chunk's repr, one per line); plain: doc = chunks joined by "\n\n".
std::string build_prompt(const std::vector<std::string>& chunks, const std::string& question,
                         PromptMode mode);

}  // namespace perseval::personabench
