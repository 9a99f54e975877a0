#include "tasks/lamp/lamp_question.h"

#include "tasks/lamp/lamp_retrieval.h"

namespace perseval::lamp {

using json = nlohmann::json;

namespace {

std::string found(const json& value) { return std::string(", found ") + value.type_name(); }

// Problem with field `name` of `object` expected to be a string ("" prefix for top level).
std::optional<std::string> string_field(const json& object, const std::string& name,
                                        const std::string& where, bool allow_number = false) {
  const auto it = object.find(name);
  const std::string expected = allow_number ? "string or number" : "string";
  if (it == object.end()) return where + "missing field \"" + name + "\" (expected " + expected + ")";
  if (it->is_string() || (allow_number && it->is_number())) return std::nullopt;
  return where + "field \"" + name + "\": expected " + expected + found(*it);
}

std::optional<std::string> item_problem(const Variant& variant, const json& item, size_t index,
                                        const QuestionRules& rules) {
  const std::string where = "profile[" + std::to_string(index) + "]: ";
  if (!item.is_object()) return where + "expected an object" + found(item);
  for (const auto& field : variant.profile_fields) {
    auto problem = string_field(item, field, where, field == "score");
    if (problem) {
      // The public LaMP-6 files hold only Avocado ids; say how to get the text.
      if (variant.task_string == "LaMP_6")
        *problem += "; LaMP-6 text must be rebuilt from the licensed Avocado corpus with "
                    "LaMP's data/avocado/create_avocado_dataset.py";
      return problem;
    }
  }
  const auto date = item.find("date");
  if (date == item.end()) {
    if (rules.require_dates)
      return where + "missing field \"date\" (expected integer or dash-separated integer "
                     "string; recency retrieval needs it)";
  } else if (!parse_date(*date)) {
    return where + "field \"date\": expected integer or dash-separated integer string, found " +
           date->dump();
  }
  return std::nullopt;
}

}  // namespace

std::string question_id(const json& question) {
  if (!question.is_object()) return "";
  const auto it = question.find("id");
  return it != question.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<std::string> question_problem(const Variant& variant, const json& question,
                                            const QuestionRules& rules) {
  if (!question.is_object()) return "expected a question object" + found(question);
  if (auto p = string_field(question, "id", "")) return p;
  if (auto p = string_field(question, "input", "")) return p;
  const auto profile = question.find("profile");
  if (profile == question.end()) return std::string("missing field \"profile\" (expected array)");
  if (!profile->is_array()) return "field \"profile\": expected array" + found(*profile);
  for (size_t i = 0; i < profile->size(); ++i)
    if (auto p = item_problem(variant, (*profile)[i], i, rules)) return p;
  if (rules.require_user_id) {
    const auto user = question.find("user_id");
    if (user == question.end())
      return std::string(
          "missing field \"user_id\" (expected string or integer; time-based files carry it)");
    if (!user->is_string() && !user->is_number_integer())
      return "field \"user_id\": expected string or integer" + found(*user);
  }
  return std::nullopt;
}

}  // namespace perseval::lamp
