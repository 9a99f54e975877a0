// perseval's PersonaFeedback prompt (protocol perseval-pairwise-v1, personafeedback.md §4.1):
// upstream publishes no official prompt, so results are labelled with this protocol.
#pragma once

#include <string>
#include <vector>

#include "harness/core/types.h"

namespace perseval::personafeedback {

// One user message: the instruction, then [User Persona], [User Question] and the two
// responses between "[The Start of Response X]" / "[The End of Response X]" lines, blocks
// separated by blank lines. With `certainty` the instruction drops "only" and the five-band
// certainty scale of the Personalized-Judge protocol follows, asking for "[[A]] [[X]]".
std::string render_choice_prompt(const std::string& persona, const std::string& question,
                                 const std::string& a, const std::string& b, bool certainty);

// Reward-model mode: the conversation a reward model scores — the persona and question as
// the user turn, the response as the assistant turn.
std::vector<Message> reward_messages(const std::string& persona, const std::string& question,
                                     const std::string& response);

}  // namespace perseval::personafeedback
