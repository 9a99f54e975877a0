#include "adapters/http/error_text.h"

#include <algorithm>

namespace perseval {

std::string body_excerpt(std::string_view body, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(body.size(), max_bytes) + 3);
  bool cut = false;
  for (char c : body) {
    const auto u = static_cast<unsigned char>(c);
    const bool space = u < 0x20 || u == 0x7f || c == ' ';
    if (space && (out.empty() || out.back() == ' ')) continue;
    if (out.size() >= max_bytes) {
      cut = true;
      break;
    }
    out.push_back(space ? ' ' : c);
  }
  if (cut && !out.empty()) {
    // Drop a UTF-8 character whose bytes were not all copied.
    size_t lead = out.size() - 1;
    while (lead > 0 && (static_cast<unsigned char>(out[lead]) & 0xC0) == 0x80) --lead;
    const auto first = static_cast<unsigned char>(out[lead]);
    const size_t need = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
    if (out.size() - lead < need) out.resize(lead);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (cut) out += "...";
  return out;
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), "[redacted]");
      pos += 10;
    }
  }
  return text;
}

}  // namespace perseval
