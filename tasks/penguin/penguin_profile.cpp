#include "tasks/penguin/penguin_profile.h"

#include "harness/core/errors.h"

namespace perseval::penguin {
namespace {

struct Alias {
  const char* key;
  const char* name;
};

// The snake_case spellings of the Hugging Face records (penguin.md §2.1). The self-harm key is
// not pinned down by the spec, so both plausible spellings map.
constexpr Alias kAliases[] = {
    {"age", "Age"},
    {"gender", "Gender"},
    {"marital_status", "Marital Status"},
    {"profession", "Profession"},
    {"economic_status", "Economic Status"},
    {"health_status", "Health Status"},
    {"education_level", "Education Level"},
    {"mental_health_status", "Mental Health Status"},
    {"past_self_harm_history", "Past Self-Harm History"},
    {"self_harm_history", "Past Self-Harm History"},
    {"emotional_state", "Emotional State"},
};

}  // namespace

const std::vector<std::string>& attribute_names() {
  static const std::vector<std::string> kNames = {
      "Age",          "Gender",          "Marital Status",       "Profession",            "Economic Status",
      "Health Status", "Education Level", "Mental Health Status", "Past Self-Harm History", "Emotional State"};
  return kNames;
}

std::optional<std::string> canonical_attribute(std::string_view key) {
  for (const auto& name : attribute_names())
    if (key == name) return name;
  for (const auto& alias : kAliases)
    if (key == alias.key) return std::string(alias.name);
  return std::nullopt;
}

Profile profile_of(const json& record) {
  Profile out;
  if (!record.is_object()) return out;
  for (const auto& name : attribute_names()) {
    for (const auto& [key, value] : record.items()) {
      if (canonical_attribute(key) != name || value.is_null()) continue;
      out.emplace_back(name, value.is_string() ? value.get<std::string>() : value.dump());
      break;
    }
  }
  return out;
}

std::optional<std::string> attribute_value(const Profile& profile, std::string_view name) {
  for (const auto& [key, value] : profile)
    if (key == name) return value;
  return std::nullopt;
}

std::vector<std::string> parse_attribute_list(const std::string& text, const std::string& context) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t plus = text.find('+', start);
    if (plus == std::string::npos) plus = text.size();
    const std::string part = text.substr(start, plus - start);
    start = plus + 1;
    const auto name = canonical_attribute(part);
    if (!name)
      throw InputError(context + ": unknown attribute '" + part +
                       "' (expected snake_case or Title Case names of the ten PENGUIN attributes, "
                       "joined with '+', e.g. age+emotional_state)");
    out.push_back(*name);
  }
  return out;
}

std::optional<std::vector<std::string>> parse_attribute_path(std::string_view cell) {
  size_t i = 0;
  auto skip = [&] {
    while (i < cell.size() && (cell[i] == ' ' || cell[i] == '\t' || cell[i] == '\n' || cell[i] == '\r')) ++i;
  };
  skip();
  if (i >= cell.size() || cell[i] != '[') return std::nullopt;
  ++i;
  std::vector<std::string> out;
  skip();
  if (i < cell.size() && cell[i] == ']') return out;
  while (i < cell.size()) {
    skip();
    if (i >= cell.size() || (cell[i] != '\'' && cell[i] != '"')) return std::nullopt;
    const char quote = cell[i++];
    std::string item;
    while (i < cell.size() && cell[i] != quote) {
      if (cell[i] == '\\' && i + 1 < cell.size()) ++i;
      item += cell[i++];
    }
    if (i >= cell.size()) return std::nullopt;
    ++i;
    out.push_back(std::move(item));
    skip();
    if (i < cell.size() && cell[i] == ',') {
      ++i;
      continue;
    }
    if (i < cell.size() && cell[i] == ']') return out;
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace perseval::penguin
