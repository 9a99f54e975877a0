// Confidence of a verdict from token log-probabilities, when the endpoint returned them
// (Completion::logprobs / Judgement::logprobs hold the OpenAI `logprobs` object verbatim).
#pragma once

#include <optional>
#include <string>

#include "harness/core/types.h"

namespace perseval::pairwise {

// The probability the model gave the verdict `letter` at the first token that spells a verdict
// letter (the token text with spaces, '[', ']', '(', ')' and '*' removed is one of
// `allowed`). When that position lists alternatives (top_logprobs), the letter's probability
// is renormalised over the allowed letters present there, so the number is "how sure between
// A and B"; otherwise it is exp(logprob). Reads the chat format
// {"content": [{"token", "logprob", "top_logprobs": [{"token", "logprob"}]}]} and the legacy
// completions format {"tokens", "token_logprobs", "top_logprobs": [{token: logprob}]}.
// Empty when `logprobs` is null, malformed (a token's logprob is not a number <= 0; an
// alternative with such a value is ignored), or never spells the letter first. The result
// is always in [0, 1].
std::optional<double> verdict_probability(const json& logprobs, const std::string& letter,
                                          const std::string& allowed = "AB");

}  // namespace perseval::pairwise
