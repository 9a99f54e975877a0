#include "adapters/openai/openai_protocol.h"

#include <algorithm>
#include <cctype>

namespace perseval {

GenConfig effective_gen(const GenConfig& task_gen, const GenOverrides& o) {
  GenConfig g = task_gen;
  if (o.temperature) g.temperature = *o.temperature;
  if (o.max_tokens) g.max_tokens = *o.max_tokens;
  if (o.top_p) g.top_p = *o.top_p;
  if (o.seed) g.seed = *o.seed;
  if (o.logprobs) g.logprobs = *o.logprobs;
  if (o.top_logprobs) g.top_logprobs = *o.top_logprobs;
  return g;
}

std::string render_plain_prompt(const std::vector<Message>& messages) {
  const bool users_only = std::all_of(messages.begin(), messages.end(),
                                      [](const Message& m) { return m.role == "user"; });
  std::string out;
  for (const auto& m : messages) {
    if (!out.empty()) out += "\n\n";
    if (!users_only) {
      std::string role = m.role.empty() ? "User" : m.role;
      role[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(role[0])));
      out += role + ": ";
    }
    out += m.content;
  }
  if (!users_only) out += "\n\nAssistant:";
  return out;
}

std::string completion_request_body(const OpenAIOptions& options, const Request& request) {
  const GenConfig gen = effective_gen(request.gen, options.overrides);
  json body{{"model", options.model}, {"max_tokens", gen.max_tokens}, {"temperature", gen.temperature}};
  if (options.endpoint == OpenAIEndpointKind::chat) {
    json messages = json::array();
    for (const auto& m : request.messages) messages.push_back(json{{"role", m.role}, {"content", m.content}});
    body["messages"] = std::move(messages);
    if (gen.logprobs) {
      body["logprobs"] = true;
      if (gen.top_logprobs > 0) body["top_logprobs"] = gen.top_logprobs;
    }
  } else {
    body["prompt"] = render_plain_prompt(request.messages);
    // The legacy endpoint takes the number of alternatives per token as `logprobs`.
    if (gen.logprobs) body["logprobs"] = gen.top_logprobs;
  }
  if (gen.top_p) body["top_p"] = *gen.top_p;
  if (gen.seed) body["seed"] = *gen.seed;
  if (!gen.stop.empty()) body["stop"] = gen.stop;
  for (const auto& [key, value] : options.extra_body.items()) body[key] = value;
  // Invalid UTF-8 in a prompt is replaced rather than failing the whole request.
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

double estimate_tokens(const Request& request, int max_tokens) {
  size_t chars = 0;
  for (const auto& m : request.messages) chars += m.content.size();
  return static_cast<double>(chars) / 4.0 + static_cast<double>(std::max(0, max_tokens));
}

namespace {

// The server's own explanation when a 2xx body carries {"error": ...} instead of choices.
std::string server_error(const json& j) {
  const auto it = j.find("error");
  if (it == j.end()) return {};
  if (it->is_object() && it->contains("message") && (*it)["message"].is_string())
    return "server error: " + (*it)["message"].get<std::string>();
  return "server error: " + it->dump();
}

int64_t count_field(const json& usage, const char* name) {
  const auto it = usage.find(name);
  return it != usage.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

}  // namespace

std::string parse_completion_body(const std::string& body, OpenAIEndpointKind kind, ParsedCompletion& out) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return "not JSON";
  if (!j.is_object()) return "not a JSON object";
  const auto choices = j.find("choices");
  if (choices == j.end() || !choices->is_array() || choices->empty()) {
    std::string error = server_error(j);
    return error.empty() ? "no choices" : error;
  }
  const json& first = (*choices)[0];
  if (!first.is_object()) return "choices[0] is not an object";
  if (kind == OpenAIEndpointKind::chat) {
    const auto message = first.find("message");
    if (message == first.end() || !message->is_object()) return "no choices[0].message";
    const auto content = message->find("content");
    if (content == message->end()) return "no choices[0].message.content";
    if (content->is_string()) out.text = content->get<std::string>();
    else if (content->is_null()) out.text.clear();  // e.g. a refusal or an empty turn
    else return "choices[0].message.content is not a string";
  } else {
    const auto text = first.find("text");
    if (text == first.end() || !text->is_string()) return "no choices[0].text";
    out.text = text->get<std::string>();
  }
  if (const auto usage = j.find("usage"); usage != j.end() && usage->is_object()) {
    out.usage.prompt_tokens = count_field(*usage, "prompt_tokens");
    out.usage.completion_tokens = count_field(*usage, "completion_tokens");
  }
  if (const auto logprobs = first.find("logprobs"); logprobs != first.end() && !logprobs->is_null())
    out.logprobs = *logprobs;
  return {};
}

std::string embeddings_request_body(const OpenAIOptions& options, const std::vector<std::string>& texts) {
  json body{{"model", options.model}, {"input", texts}};
  for (const auto& [key, value] : options.extra_body.items()) body[key] = value;
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string parse_embeddings_body(const std::string& body, size_t expected, EmbeddingResult& out) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return "not JSON";
  if (!j.is_object()) return "not a JSON object";
  const auto data = j.find("data");
  if (data == j.end() || !data->is_array()) {
    std::string error = server_error(j);
    return error.empty() ? "no data array" : error;
  }
  if (data->size() != expected)
    return std::to_string(data->size()) + " embeddings for " + std::to_string(expected) + " inputs";
  std::vector<std::vector<float>> vectors(expected);
  std::vector<bool> seen(expected, false);
  for (const auto& item : *data) {
    if (!item.is_object()) return "data item is not an object";
    const auto index = item.find("index");
    if (index == item.end() || !index->is_number_unsigned() || index->get<size_t>() >= expected)
      return "data item without a valid index";
    const size_t i = index->get<size_t>();
    if (seen[i]) return "index " + std::to_string(i) + " repeated";
    seen[i] = true;
    const auto embedding = item.find("embedding");
    if (embedding == item.end() || !embedding->is_array()) return "data item without an embedding array";
    vectors[i].reserve(embedding->size());
    for (const auto& x : *embedding) {
      if (!x.is_number()) return "embedding value is not a number";
      vectors[i].push_back(x.get<float>());
    }
  }
  out.vectors = std::move(vectors);
  if (const auto usage = j.find("usage"); usage != j.end() && usage->is_object())
    out.usage.prompt_tokens = count_field(*usage, "prompt_tokens");
  return {};
}

}  // namespace perseval
