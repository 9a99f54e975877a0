#include "tasks/lamp/lamp_query.h"

#include "metrics/python_text.h"

namespace perseval::lamp {

std::vector<std::string> quoted_strings(std::string_view input) {
  std::vector<std::string> out;
  bool inside = false;
  std::string current;
  for (char c : input) {
    if (c == '"') {
      if (inside) {
        out.push_back(std::move(current));
        current.clear();
      }
      inside = !inside;
    } else if (inside) {
      current += c;
    }
  }
  return out;
}

bool has_query_marker(const Variant& variant, std::string_view input) {
  if (variant.query_rule == QueryRule::quoted_references) return quoted_strings(input).size() >= 3;
  return input.find(variant.marker) != std::string_view::npos;
}

std::vector<std::string> citation_references(std::string_view input) {
  auto quoted = quoted_strings(input);
  std::vector<std::string> refs(2);
  if (quoted.size() > 1) refs[0] = quoted[1];
  if (quoted.size() > 2) refs[1] = quoted[2];
  return refs;
}

std::string extract_query(const Variant& variant, std::string_view input) {
  if (variant.query_rule == QueryRule::quoted_references) {
    auto quoted = quoted_strings(input);
    if (quoted.size() >= 3) return quoted[1] + " " + quoted[2];
    if (quoted.size() == 2) return quoted[1];
    return std::string(input);
  }
  const size_t at = input.find(variant.marker);
  if (at == std::string_view::npos) return std::string(input);
  return metrics::python_strip(input.substr(at + variant.marker.size()));
}

std::string corpus_string(const Variant& variant, const nlohmann::json& item) {
  std::string out;
  for (size_t i = 0; i < variant.corpus_fields.size(); ++i) {
    if (i) out += ' ';
    out += item_field(item, variant.corpus_fields[i]);
  }
  return out;
}

}  // namespace perseval::lamp
