// libFuzzer target: the OpenAI-compatible response parsers in adapters/openai — a 2xx body
// of /chat/completions and /completions (text, usage, logprobs, server error) and of
// /embeddings — plus the verdict confidence read from the returned logprobs.
// Input: byte 0 gives the expected embedding count (0-7), the rest is the response body.
// The parsers report problems in their return value; none of them throws.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "adapters/openai/openai_protocol.h"
#include "fuzz/fuzz_support.h"
#include "tasks/pairwise/logprob_confidence.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace perseval;
  if (size < 1) return 0;
  const size_t expected = data[0] & 7;
  const std::string body(fuzz::as_text(data + 1, size - 1));
  for (const auto kind : {OpenAIEndpointKind::chat, OpenAIEndpointKind::completions}) {
    ParsedCompletion parsed;
    if (parse_completion_body(body, kind, parsed).empty()) {
      for (const char* letter : {"A", "B", "C"}) {
        const auto p = pairwise::verdict_probability(parsed.logprobs, letter, "ABC");
        if (p && !(*p >= 0.0 && *p <= 1.0)) std::abort();  // a probability
      }
    }
  }
  EmbeddingResult embeddings;
  if (parse_embeddings_body(body, expected, embeddings).empty() && embeddings.vectors.size() != expected)
    std::abort();  // documented: one vector per input
  return 0;
}
