#include "tasks/personafeedback/pf_persona.h"

#include <fstream>

#include "harness/core/errors.h"
#include "tasks/pairwise/jsonl_reader.h"

namespace perseval::personafeedback {
namespace {

using ojson = nlohmann::ordered_json;

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string leaf_text(const ojson& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return trimmed(v.get<std::string>());
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v) {
      const std::string t = item.is_string() ? trimmed(item.get<std::string>()) : item.is_null() ? "" : item.dump();
      if (!t.empty()) out += (out.empty() ? "" : ", ") + t;
    }
    return out;
  }
  return v.dump();
}

void flatten(const std::string& prefix, const ojson& value, std::string& out) {
  if (value.is_object()) {
    for (const auto& [key, nested] : value.items()) flatten(prefix + "." + key, nested, out);
    return;
  }
  const std::string text = leaf_text(value);
  if (!text.empty()) out += "\n- " + prefix + ": " + text;
}

}  // namespace

std::string render_persona_flat(const ojson& persona) {
  std::string out = "User persona:";
  if (const auto name = persona.find("Name"); name != persona.end()) {
    const std::string text = leaf_text(*name);
    if (!text.empty()) out += "\n- Name: " + text;
  }
  for (const char* section : {"Demographics", "Personality", "Preference", "Bias"}) {
    const auto it = persona.find(section);
    if (it == persona.end()) continue;
    if (it->is_object()) {
      for (const auto& [key, nested] : it->items()) flatten(std::string(section) + "." + key, nested, out);
    } else {
      const std::string text = leaf_text(*it);
      if (!text.empty()) out += "\n- " + std::string(section) + ": " + text;
    }
  }
  return out;
}

std::string render_persona_json(const ojson& persona) { return persona.dump(2); }

PersonaTable::PersonaTable(const std::string& path, PersonaFormat format, const std::string& join)
    : path_(path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(pairwise::line_error(path, 0, "cannot be opened"));
  const std::string field = join.rfind("field:", 0) == 0 ? join.substr(6) : "";
  std::string text;
  long long line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    ojson persona;
    try {
      persona = ojson::parse(text);
    } catch (const ojson::exception& e) {  // parse_error, or out_of_range for a number overflow
      throw InputError(pairwise::line_error(path, line, std::string("not valid JSON (") + e.what() + ")"));
    }
    if (!persona.is_object()) throw InputError(pairwise::line_error(path, line, "expected a persona object"));
    std::string key = std::to_string(line);
    if (!field.empty()) {
      const auto it = persona.find(field);
      if (it == persona.end() || !(it->is_string() || it->is_number_integer()))
        throw InputError(pairwise::line_error(path, line, "persona_join=" + join + ": field '" + field +
                                                              "' missing or not a string/integer"));
      key = it->is_string() ? it->get<std::string>() : std::to_string(it->get<long long>());
    }
    std::string rendered = format == PersonaFormat::json ? render_persona_json(persona) : render_persona_flat(persona);
    if (!by_key_.emplace(key, std::move(rendered)).second)
      throw InputError(pairwise::line_error(path, line, "persona id '" + key + "' appears twice"));
  }
}

const std::string* PersonaTable::find(const std::string& user_id) const {
  const auto it = by_key_.find(user_id);
  return it == by_key_.end() ? nullptr : &it->second;
}

}  // namespace perseval::personafeedback
