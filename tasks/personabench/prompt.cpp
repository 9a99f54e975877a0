#include "tasks/personabench/prompt.h"

#include "tasks/personabench/python_format.h"

namespace perseval::personabench {

std::string build_prompt(const std::vector<std::string>& chunks, const std::string& question,
                         PromptMode mode) {
  std::string doc;
  if (mode == PromptMode::official) {
    doc = numpy_str_array(chunks);
  } else {
    for (std::size_t i = 0; i < chunks.size(); ++i) doc += (i ? "\n\n" : "") + chunks[i];
  }
  return "You are provided with the following relevant information: " + doc +
         ".\nAnswer the question below as directly and concisely as possible, using only the "
         "name(s) of the relevant entity or entities. Avoid adding any extra words or "
         "explanations.\n\nQuestion: " +
         question;
}

}  // namespace perseval::personabench
