#include "tasks/personamem/history.h"

#include <algorithm>

namespace perseval::personamem {

long long count_characters(std::string_view text) {
  long long n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // Count every byte that does not continue a multi-byte sequence.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

nlohmann::json select_history(const nlohmann::json& messages, long long end_index, ContextMode mode,
                              long long budget) {
  nlohmann::json out = nlohmann::json::array();
  if (mode == ContextMode::none || !messages.is_array() || end_index <= 0) return out;
  const size_t end = std::min(static_cast<size_t>(end_index), messages.size());
  size_t begin = 0;
  if (budget > 0) {
    long long used = 0;
    begin = end;
    while (begin > 0) {
      const auto& content = messages[begin - 1]["content"];
      const long long size =
          content.is_string() ? count_characters(content.get_ref<const std::string&>()) : 0;
      if (used + size > budget) break;
      used += size;
      --begin;
    }
  }
  for (size_t i = begin; i < end; ++i) out.push_back(messages[i]);
  return out;
}

}  // namespace perseval::personamem
