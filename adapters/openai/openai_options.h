// The parameters of `openai:` models and embedders, parsed and checked, and what of them
// forms the model's identity (recorded in runs and cache keys).
//
//   model=NAME          the server's model name (required)
//   base_url=URL|URL    replicas, default http://127.0.0.1:8000/v1; each request goes to the
//                       replica with the fewest requests in flight (an unreachable one rests)
//   endpoint=chat|completions   /chat/completions (default) or /completions for base
//                       checkpoints, with the messages rendered as text (render_plain_prompt)
//   concurrency=N       requests in flight per replica (default 32); ModelInfo::concurrency
//                       is N x replicas
//   rpm=N, tpm=N        requests / estimated tokens per minute for the model as a whole
//                       (token buckets holding one second's worth; tokens = prompt chars / 4
//                       + max_tokens); default unlimited
//   timeout_s=S         per attempt, connecting included (default 120)
//   max_response_bytes=N  the largest response body accepted (default 16777216 = 16 MiB,
//                       at least 1024); a larger one is cut off as it arrives and fails
//                       its sample with "response larger than N bytes (max_response_bytes)",
//                       without a retry (the same request would bring the same answer)
//   max_retries=N       retries on 429, 5xx, timeouts, connection failures and unusable 2xx
//                       bodies (default 5); backoff_ms=MS (default 500) and max_backoff_ms=MS
//                       (default 20000) shape the full-jitter exponential backoff; a
//                       Retry-After (or retry-after-ms) header replaces it
//   adaptive=0|1        halve a replica's concurrency on 429, recover by about one per
//                       concurrency's worth of successes
//   api_key_env=VAR     the environment variable holding the key (default OPENAI_API_KEY;
//                       unset is fine for local servers unless VAR was named explicitly)
//   temperature, max_tokens, top_p, seed, logprobs=0|1, top_logprobs=K
//                       replace the task's generation settings in every request
//   header.NAME=VALUE   an extra header (no credentials: Authorization, api-key, cookies and
//                       *token* headers are refused); values are not part of the identity
//   body.KEY=JSON       an extra body field, merged last (e.g. body.top_k=20); the spec
//                       syntax splits on ',', so a JSON value cannot contain one
//
// The API key is never a parameter: a spec holding the key, or an api_key / key / token
// parameter, is refused.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/http_request.h"
#include "harness/core/spec.h"
#include "harness/core/types.h"

namespace perseval {

enum class OpenAIEndpointKind { chat, completions };

// Generation settings given in the model spec; each one that is set replaces the task's
// GenConfig value in every request.
struct GenOverrides {
  std::optional<double> temperature;
  std::optional<int> max_tokens;
  std::optional<double> top_p;
  std::optional<uint64_t> seed;
  std::optional<bool> logprobs;
  std::optional<int> top_logprobs;
};

// Parsed `openai:` parameters. Plain values; copy freely. Holds no secret.
struct OpenAIOptions {
  std::string model;
  std::vector<std::string> base_urls{"http://127.0.0.1:8000/v1"};
  std::string api_key_env = "OPENAI_API_KEY";
  bool api_key_env_given = false;   // then the variable must be set
  OpenAIEndpointKind endpoint = OpenAIEndpointKind::chat;
  int concurrency = 32;             // per replica
  double rpm = 0.0;                 // whole model; 0 = unlimited
  double tpm = 0.0;
  double timeout_s = 120.0;
  long long max_response_bytes = 16LL << 20;
  int max_retries = 5;
  long backoff_ms = 500;
  long max_backoff_ms = 20000;
  bool adaptive = false;
  GenOverrides overrides;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, name → value
  json extra_body = json::object();                          // merged into every body last
};

// Parses an `openai:` spec. Throws InputError naming the parameter (never echoing a
// header value) for an unknown or malformed parameter, a missing model, a key-like
// parameter or header, or a body field the adapter owns (model, messages, prompt, input,
// stream).
OpenAIOptions parse_openai_options(const Spec& spec);

// Reads the API key from the environment: "" when the default variable is unset (local
// servers need none). Throws InputError when an explicitly named variable is unset, or
// when a spec parameter contains the key (the message never contains the key).
std::string read_api_key(const OpenAIOptions& options, const Spec& spec);

// What changes outputs: backend, model, endpoint kind, base URLs, generation overrides,
// extra body. Not the key's variable, not header values, not limits or timeouts.
json openai_identity(const OpenAIOptions& options);

// The canonical model name for runs and reports: "openai:" and the identity's
// parameters, sorted, defaults filled in (no limits, timeouts, headers or key variable).
std::string openai_model_name(const OpenAIOptions& options);

// The engine endpoint for these options; `api_key` ("" for none) becomes the
// Authorization header and a secret redacted from every error text.
EndpointOptions openai_endpoint_options(const OpenAIOptions& options, const std::string& api_key);

}  // namespace perseval
