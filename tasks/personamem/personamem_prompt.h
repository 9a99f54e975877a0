// The official PERSONAMEM prompt (inference_standalone_openai.py::query_llm at upstream
// commit 041d82ac, personamem.md §5).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/types.h"

namespace perseval::personamem {

// The instruction between the question and the options, verbatim.
inline constexpr std::string_view kInstruction =
    "Find the most appropriate model response and give your final answer (a), (b), (c), or "
    "(d) after the special token <final_answer>.";

// The final user message: question + "\n\n" + kInstruction + "\n\n" + all_options, where
// `all_options` is the raw CSV cell (brackets and quotes included), as upstream embeds it.
std::string query_text(std::string_view question, std::string_view all_options);

// Upstream's convert_role_system_to_user: every system message is buffered as
// "[System]: {content}\n" and prefixed to the next non-system message; consecutive messages
// of the same role are then joined with "\n". A system message with nothing after it is
// dropped, as upstream drops it.
std::vector<Message> merge_system_messages(const std::vector<Message>& messages);

// The request messages: the history (a JSON array of {role, content}, already selected),
// then the query as one user message; merged as above when `system_merge`.
std::vector<Message> build_messages(const nlohmann::json& history, std::string_view question,
                                    std::string_view all_options, bool system_merge);

}  // namespace perseval::personamem
