#include "adapters/exec/exec_protocol.h"

#include "harness/core/terminal_text.h"

namespace perseval {

std::string encode_request_line(const std::string& id, const Request& request) {
  json messages = json::array();
  for (const auto& m : request.messages) messages.push_back({{"role", m.role}, {"content", m.content}});
  const GenConfig& g = request.gen;
  json gen{{"max_tokens", g.max_tokens}, {"temperature", g.temperature}, {"stop", g.stop},
           {"logprobs", g.logprobs},     {"top_logprobs", g.top_logprobs}};
  if (g.seed) gen["seed"] = *g.seed;
  if (g.top_p) gen["top_p"] = *g.top_p;
  const json line{{"id", id}, {"sample_id", request.sample_id}, {"messages", messages}, {"gen", gen}};
  // dump() never emits a raw newline (strings escape it), so one request is one line.
  return line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

ResponseLine parse_response_line(std::string_view line) {
  ResponseLine out;
  const json j = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    out.problem = "not JSON";
    return out;
  }
  if (!j.is_object()) {
    out.problem = "not a JSON object";
    return out;
  }
  const auto id = j.find("id");
  if (id != j.end() && id->is_string()) out.id = id->get<std::string>();
  else if (id != j.end() && id->is_number_integer()) out.id = id->dump();
  if (!out.id) {
    out.problem = "no string \"id\"";
    return out;
  }
  const auto error = j.find("error");
  if (error != j.end() && !error->is_null()) {
    out.completion.error =
        "exec: server error: " + (error->is_string() ? error->get<std::string>() : error->dump());
    return out;
  }
  const auto text = j.find("text");
  if (text == j.end() || !text->is_string()) {
    out.problem = "no string \"text\"";
    return out;
  }
  out.completion.text = text->get<std::string>();
  const auto usage = j.find("usage");
  if (usage != j.end() && usage->is_object()) {
    auto count = [&](const char* key) -> int64_t {
      const auto v = usage->find(key);
      return v != usage->end() && v->is_number() ? v->get<int64_t>() : 0;
    };
    out.completion.usage.prompt_tokens = count("prompt_tokens");
    out.completion.usage.completion_tokens = count("completion_tokens");
  }
  const auto logprobs = j.find("logprobs");
  if (logprobs != j.end()) out.completion.logprobs = *logprobs;
  return out;
}

void LineSplitter::feed(std::string_view data, const Handler& on_line) {
  while (!data.empty()) {
    const size_t newline = data.find('\n');
    const std::string_view piece = data.substr(0, newline);
    if (!skipping_) {
      if (partial_.size() + piece.size() > max_line_) {
        partial_.append(piece.substr(0, max_line_ - partial_.size()));
        on_line(partial_, true);
        partial_.clear();
        skipping_ = true;
      } else {
        partial_.append(piece);
      }
    }
    if (newline == std::string_view::npos) return;
    if (!skipping_) on_line(partial_, false);
    partial_.clear();
    skipping_ = false;
    data.remove_prefix(newline + 1);
  }
}

void LineSplitter::finish(const Handler& on_line) {
  if (!skipping_ && !partial_.empty()) on_line(partial_, false);
  partial_.clear();
  skipping_ = false;
}

std::string shorten_for_log(std::string_view text, size_t max) {
  std::string out(text.substr(0, max));
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  out = terminal_safe(out);
  if (text.size() > max) out += "...";
  return out;
}

}  // namespace perseval
