// The OpenAI wire format: request bodies for /chat/completions, /completions and
// /embeddings, and parsing of their responses. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "adapters/openai/openai_options.h"
#include "harness/core/embedder.h"
#include "harness/core/types.h"

namespace perseval {

// The generation settings a request is sent with: the task's GenConfig with the spec's
// overrides applied.
GenConfig effective_gen(const GenConfig& task_gen, const GenOverrides& overrides);

// The prompt a base checkpoint gets from /completions. A conversation of user messages
// only (the usual case: one rendered prompt) is their contents joined by a blank line,
// unchanged. Any system or assistant turn makes it a transcript: "System: ...",
// "User: ...", "Assistant: ..." blocks separated by blank lines, ending with "Assistant:"
// so the model continues as the assistant.
std::string render_plain_prompt(const std::vector<Message>& messages);

// The JSON body for `request` at the options' endpoint kind.
std::string completion_request_body(const OpenAIOptions& options, const Request& request);

// The engine's token estimate for tokens/min: prompt characters / 4 plus max_tokens.
double estimate_tokens(const Request& request, int max_tokens);

// A parsed completion response.
struct ParsedCompletion {
  std::string text;
  Usage usage;
  json logprobs;  // choices[0].logprobs when present and not null
};

// Parses a 2xx response body of /chat/completions (choices[0].message.content, null
// taken as "") or /completions (choices[0].text). usage is optional. Returns "" and fills
// `out` on success, or a short reason ("not JSON", "no choices[0].message.content", the
// server's error message) on a body that cannot be used.
std::string parse_completion_body(const std::string& body, OpenAIEndpointKind kind, ParsedCompletion& out);

// The JSON body of an embeddings call: {model, input: [...]} plus the extra body fields.
std::string embeddings_request_body(const OpenAIOptions& options, const std::vector<std::string>& texts);

// Parses an /embeddings response: one vector per input, placed by its `index`. Returns ""
// on success, or a reason (wrong count, a missing or repeated index, a non-numeric
// value) on a body that cannot be used.
std::string parse_embeddings_body(const std::string& body, size_t expected, EmbeddingResult& out);

}  // namespace perseval
