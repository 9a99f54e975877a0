#include "tasks/personamem/personamem_prompt.h"

namespace perseval::personamem {

std::string query_text(std::string_view question, std::string_view all_options) {
  std::string out;
  out.reserve(question.size() + kInstruction.size() + all_options.size() + 4);
  out.append(question).append("\n\n").append(kInstruction).append("\n\n").append(all_options);
  return out;
}

std::vector<Message> merge_system_messages(const std::vector<Message>& messages) {
  std::vector<Message> out;
  std::string system_buffer;
  for (const auto& m : messages) {
    if (m.role == "system") {
      system_buffer += "[System]: " + m.content + "\n";
      continue;
    }
    std::string content = system_buffer.empty() ? m.content : system_buffer + m.content;
    system_buffer.clear();
    if (!out.empty() && out.back().role == m.role)
      out.back().content += "\n" + content;
    else
      out.push_back({m.role, std::move(content)});
  }
  return out;
}

std::vector<Message> build_messages(const nlohmann::json& history, std::string_view question,
                                    std::string_view all_options, bool system_merge) {
  std::vector<Message> messages;
  if (history.is_array()) {
    messages.reserve(history.size() + 1);
    for (const auto& m : history)
      messages.push_back({m.value("role", std::string()), m.value("content", std::string())});
  }
  messages.push_back({"user", query_text(question, all_options)});
  return system_merge ? merge_system_messages(messages) : messages;
}

}  // namespace perseval::personamem
