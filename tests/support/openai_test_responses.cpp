#include "tests/support/openai_test_responses.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace perseval::test {

using nlohmann::json;

namespace {

bool is_chat(const std::string& path) { return path == "/v1/chat/completions"; }

int64_t approx_tokens(size_t chars) { return static_cast<int64_t>(chars / 4 + 1); }

uint64_t fnv(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

json chat_logprobs(const std::string& text, int top) {
  json top_list = json::array();
  for (int i = 0; i < top; ++i) top_list.push_back({{"token", i == 0 ? "echo" : "alt" + std::to_string(i)},
                                                    {"logprob", -0.25 - i}});
  return json{{"content", json::array({json{{"token", "echo"}, {"logprob", -0.25},
                                            {"bytes", json::array({101, 99, 104, 111})},
                                            {"top_logprobs", top_list}}})},
              {"refusal", nullptr},
              {"text_length", text.size()}};
}

json legacy_logprobs(int top) {
  json alternatives = json::object();
  for (int i = 0; i < std::max(1, top); ++i) alternatives[i == 0 ? "echo" : "alt" + std::to_string(i)] = -0.25 - i;
  return json{{"tokens", json::array({"echo"})},
              {"token_logprobs", json::array({-0.25})},
              {"top_logprobs", json::array({alternatives})},
              {"text_offset", json::array({0})}};
}

}  // namespace

std::string default_answer(const std::string& path, const json& body) {
  if (is_chat(path)) {
    const auto messages = body.find("messages");
    if (messages != body.end() && messages->is_array())
      for (auto it = messages->rbegin(); it != messages->rend(); ++it)
        if (it->value("role", "") == "user" && (*it)["content"].is_string())
          return "echo: " + (*it)["content"].get<std::string>();
    return "echo: ";
  }
  const auto prompt = body.find("prompt");
  return "echo: " + (prompt != body.end() && prompt->is_string() ? prompt->get<std::string>() : std::string());
}

std::string completion_response(const std::string& path, const json& body, const std::string& text) {
  size_t prompt_chars = 0;
  if (const auto messages = body.find("messages"); messages != body.end() && messages->is_array()) {
    for (const auto& m : *messages)
      if (m.contains("content") && m["content"].is_string()) prompt_chars += m["content"].get_ref<const std::string&>().size();
  } else if (const auto prompt = body.find("prompt"); prompt != body.end() && prompt->is_string()) {
    prompt_chars = prompt->get_ref<const std::string&>().size();
  }
  json choice{{"index", 0}, {"finish_reason", "stop"}};
  const bool chat = is_chat(path);
  if (chat) choice["message"] = json{{"role", "assistant"}, {"content", text}};
  else choice["text"] = text;
  choice["logprobs"] = nullptr;
  if (chat && body.value("logprobs", false) == true)
    choice["logprobs"] = chat_logprobs(text, body.value("top_logprobs", 0));
  if (!chat && body.contains("logprobs") && body["logprobs"].is_number_integer())
    choice["logprobs"] = legacy_logprobs(body["logprobs"].get<int>());
  const int64_t prompt_tokens = approx_tokens(prompt_chars);
  const int64_t completion_tokens = approx_tokens(text.size());
  json out{{"id", "cmpl-test"},
           {"object", chat ? "chat.completion" : "text_completion"},
           {"created", 1700000000},
           {"model", body.value("model", "test-model")},
           {"choices", json::array({choice})},
           {"usage", {{"prompt_tokens", prompt_tokens},
                      {"completion_tokens", completion_tokens},
                      {"total_tokens", prompt_tokens + completion_tokens}}}};
  return out.dump();
}

std::vector<float> test_embedding(const std::string& text) {
  const uint64_t h = fnv(text);
  return {static_cast<float>(text.size()), static_cast<float>(h % 1000) / 1000.0f,
          static_cast<float>((h >> 20) % 1000) / 1000.0f, 1.0f};
}

std::string embeddings_response(const json& body) {
  std::vector<std::string> inputs;
  const auto input = body.find("input");
  if (input == body.end()) return "";
  if (input->is_string()) {
    inputs.push_back(input->get<std::string>());
  } else if (input->is_array()) {
    for (const auto& item : *input) {
      if (!item.is_string()) return "";
      inputs.push_back(item.get<std::string>());
    }
  } else {
    return "";
  }
  json data = json::array();
  size_t chars = 0;
  for (size_t i = inputs.size(); i-- > 0;) {
    data.push_back(json{{"object", "embedding"}, {"index", i}, {"embedding", test_embedding(inputs[i])}});
    chars += inputs[i].size();
  }
  return json{{"object", "list"},
              {"data", data},
              {"model", body.value("model", "test-model")},
              {"usage", {{"prompt_tokens", approx_tokens(chars)}, {"total_tokens", approx_tokens(chars)}}}}
      .dump();
}

std::string models_response() {
  return json{{"object", "list"}, {"data", json::array({json{{"id", "test-model"}, {"object", "model"}}})}}.dump();
}

}  // namespace perseval::test
