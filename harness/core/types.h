// Core value types that flow through the five stages (load → render → generate → score → store).
// Plain structs, copyable, no behaviour; see DESIGN.md "Core types".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace perseval {

using json = nlohmann::json;

// One chat message; role is "system", "user" or "assistant".
struct Message {
  std::string role;
  std::string content;
};

// Generation settings sent with every request and recorded in the run identity.
struct GenConfig {
  int max_tokens = 128;
  double temperature = 0.0;
  std::optional<uint64_t> seed;
  int n = 1;
  bool logprobs = false;
  int top_logprobs = 0;            // with logprobs: alternatives per token (OpenAI top_logprobs)
  std::optional<double> top_p;
  std::vector<std::string> stop;
};

// What an offline reference system (adapters/baseline) may look at instead of the prompt.
// Filled by the task at render time; models that call a real LLM ignore it and it is
// never part of a cache key.
struct ReferenceHints {
  std::string output_kind;                   // "label", "rating" or "text"
  std::vector<std::string> choices;          // the label space ("label" and "rating" kinds)
  std::vector<std::string> profile_outputs;  // the user's own outputs, in profile order
  std::vector<std::string> nearest_outputs;  // the same outputs ranked by BM25 to the query, best first
  // Multiple-choice tasks (PERSONAMEM): the text of each entry of `choices`, same order, so
  // a baseline can judge options by content (e.g. the longest option); empty otherwise.
  std::vector<std::string> choice_texts;
};

// A fully rendered model request.
struct Request {
  std::vector<Message> messages;
  GenConfig gen;
  std::string sample_id;   // for seeding deterministic models and for logs
  uint64_t sample_seed = 0;  // hash(run seed, sample id); never depends on timing
  std::optional<ReferenceHints> hints;
  int epoch = 0;  // repetition index (e.g. judge draw k of K); part of the cache key
};

// Token counts as reported by the model (0 when unknown).
struct Usage {
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
};

// The model's answer to one Request. `error` set means the call failed after all retries;
// `text` is then empty and the sample is scored as an empty answer.
struct Completion {
  std::string text;
  Usage usage;
  double latency_ms = 0.0;
  int attempts = 0;
  std::optional<std::string> error;
  json logprobs;              // the endpoint's logprobs object when asked for; null otherwise
  bool cached = false;        // served from the request cache, no model call made
};

// One benchmark item. `input` and `target` keep the task's own upstream JSON.
struct Sample {
  std::string id;
  std::string user_id;
  json input;
  json target;
  std::map<std::string, std::string> slices;  // e.g. split, scheme, user
  uint64_t seed = 0;  // hash(run seed, id), set by the runner before render; drives any randomness
};

// A judge model's verdict on one completion (judged tasks; unused by LaMP). One per judge
// request and draw: with --judge-samples K every judge request is asked K times.
struct Judgement {
  int request_index = 0;             // which of Task::judge_requests
  int draw = 0;                      // 0..K-1
  std::string raw_text;              // the judge's reply, verbatim (untrusted)
  json verdict;                      // parsed verdict or scores; null when unparseable
  std::optional<double> confidence;  // the judge's own confidence in [0, 1], when measured
  std::string parse_status;          // "ok", "unparseable", "error" (call failed), ...
  std::optional<std::string> error;  // the judge call's error, if it failed
  double latency_ms = 0.0;
  json logprobs;                     // the judge endpoint's logprobs, when asked for
};

// What scoring one sample produced: the answer as the scorer read it and named numbers.
// `values` holds per-sample numbers that Task::aggregate turns into run metrics.
struct Scores {
  std::string parsed_answer;
  std::map<std::string, double> values;
};

// One aggregate metric of a run (or of a slice of it) with its 95% interval.
struct MetricValue {
  std::string name;
  double value = 0.0;
  int64_t n = 0;
  std::optional<double> ci_low;
  std::optional<double> ci_high;
};

// A scored sample as the aggregate step sees it (read back from the store).
struct ScoredSample {
  std::string sample_id;
  std::string user_id;
  std::map<std::string, std::string> slices;
  std::string target;
  std::string output;
  bool failed = false;  // the model call errored
  Scores scores;
};

}  // namespace perseval
