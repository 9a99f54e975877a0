// Deterministic OpenAI-shaped response bodies for the local test server.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace perseval::test {

// "echo: " + the last user message (chat) or the prompt (completions).
std::string default_answer(const std::string& path, const nlohmann::json& body);

// The 200 body of /v1/chat/completions or /v1/completions answering `text`, with a usage
// block (characters / 4) and logprobs in the endpoint's shape when the request asks.
std::string completion_response(const std::string& path, const nlohmann::json& body, const std::string& text);

// The 200 body of /v1/embeddings, or "" when the request has no usable `input` (then the
// server answers 400). Vectors are listed in reverse index order on purpose.
std::string embeddings_response(const nlohmann::json& body);

// The 200 body of /v1/models.
std::string models_response();

// A deterministic 4-dimensional vector for `text`, as /v1/embeddings returns it.
std::vector<float> test_embedding(const std::string& text);

}  // namespace perseval::test
