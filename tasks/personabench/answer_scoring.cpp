#include "tasks/personabench/answer_scoring.h"

#include <algorithm>
#include <stdexcept>

#include "metrics/python_text.h"
#include "metrics/ranking.h"
#include "metrics/unicode_text.h"
#include "metrics/word_set.h"

namespace perseval::personabench {
namespace {

// Python's str.split(" "): pieces between single spaces, empty pieces kept.
std::vector<std::string> split_on_space(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t space = text.find(' ', start);
    out.push_back(text.substr(start, space - start));
    if (space == std::string::npos) break;
    start = space + 1;
  }
  return out;
}

void add_words(std::set<std::string>& into, const std::string& text) {
  for (auto& w : metrics::ascii_word_set(text)) into.insert(w);
}

std::string type_name(const ordered_json& value) {
  switch (value.type()) {
    case ordered_json::value_t::number_float: return "a float";
    case ordered_json::value_t::object: return "an object";
    case ordered_json::value_t::null: return "null";
    case ordered_json::value_t::boolean: return "a boolean";
    case ordered_json::value_t::array: return "a list";
    case ordered_json::value_t::string: return "a string";
    default: return "an integer";
  }
}

}  // namespace

std::string category_of(const std::string& type, const std::string& difficulty) {
  if (type == "Subjective") return "";
  std::string out;
  for (const auto& piece : split_on_space(type)) out += piece + "_";
  const std::string kept = type == "Preference" ? difficulty : std::string("easy");
  const auto pieces = split_on_space(kept);
  for (std::size_t i = 0; i < pieces.size(); ++i) out += (i ? "_" : "") + pieces[i];
  return out;
}

const std::vector<std::string>& official_categories() {
  static const std::vector<std::string> names{"Basic_information_easy", "Preference_easy",
                                              "Preference_hard", "Social_easy"};
  return names;
}

GoldWords gold_words(const ordered_json& value, AnswerMode mode) {
  GoldWords out;
  if (value.is_string()) {
    add_words(out.words, value.get_ref<const std::string&>());
  } else if (value.is_array()) {
    for (const auto& item : value) add_words(out.words, python_str(item));
  } else if (value.is_number_integer() || value.is_boolean()) {
    // isinstance(True, int) holds in Python, so booleans take the int branch too.
    if (mode == AnswerMode::official) out.carry = true;
    else add_words(out.words, python_str(value));
  } else {
    throw std::invalid_argument("expected a string, an integer or a list, got " + type_name(value) +
                                " (the official scorer raises ValueError)");
  }
  return out;
}

std::set<std::string> prediction_words(const ordered_json& prediction) {
  std::set<std::string> out;
  if (prediction.is_string()) {
    add_words(out, prediction.get_ref<const std::string&>());
  } else if (prediction.is_array()) {
    for (const auto& item : prediction) add_words(out, python_str(item));
  } else if (prediction.is_object()) {
    for (const auto& [key, _] : prediction.items()) add_words(out, key);
  } else {
    throw std::invalid_argument("prediction is " + type_name(prediction) +
                                "; expected a string or a list (the official scorer raises TypeError)");
  }
  return out;
}

std::optional<bool> subjective_correct(std::string_view prediction, const ordered_json& answer) {
  if (answer.is_string())
    return metrics::python_strip(prediction) == metrics::python_strip(answer.get_ref<const std::string&>());
  if (!answer.is_array()) return std::nullopt;
  std::set<std::string> gold;
  for (const auto& letter : answer) gold.insert(python_str(letter));
  const auto words = metrics::python_word_runs(prediction);
  return std::set<std::string>(words.begin(), words.end()) == gold;
}

std::vector<std::string> subjective_choices(std::string_view question) {
  std::vector<std::string> letters;
  for (std::size_t i = 0; i + 1 < question.size(); ++i) {
    const char c = question[i];
    if (c < 'A' || c > 'Z' || question[i + 1] != ':' || !metrics::python_word_boundary(question, i)) continue;
    const std::string letter(1, c);
    if (std::find(letters.begin(), letters.end(), letter) == letters.end()) letters.push_back(letter);
  }
  if (letters.empty()) letters = {"A", "B"};
  return letters;
}

std::optional<std::set<std::string>> CarriedSet::resolve(const GoldWords& gold) {
  if (!gold.carry) last_ = gold.words;
  return last_;
}

GtItems parse_gt_items(const ordered_json& segment_ids) {
  if (!segment_ids.is_object())
    throw std::invalid_argument("'segment_id' must be an object {answer item: [segment ids]}");
  GtItems items;
  for (const auto& [key, ids] : segment_ids.items()) {
    if (!ids.is_array() || ids.empty())
      throw std::invalid_argument("segment_id[" + python_repr_string(key) +
                                  "] must be a non-empty list of segment ids");
    std::vector<std::string> alternatives;
    for (const auto& id : ids) {
      if (!id.is_string())
        throw std::invalid_argument("segment_id[" + python_repr_string(key) + "] holds a non-string id");
      alternatives.push_back(id.get<std::string>());
    }
    items.emplace_back(key, std::move(alternatives));
  }
  return items;
}

RetrievalScores best_retrieval_scores(const std::vector<std::string>& retrieved, const GtItems& items) {
  RetrievalScores best;
  double combinations = 1;
  for (const auto& [_, alternatives] : items) combinations *= static_cast<double>(alternatives.size());
  if (combinations == 0) return best;
  if (combinations > 1e6)
    throw std::invalid_argument("the ground truth has more than 10^6 segment combinations");
  const std::size_t k = retrieved.size();
  // An odometer over one alternative per item, in itertools.product order.
  std::vector<std::size_t> choice(items.size(), 0);
  while (true) {
    std::set<std::string> combination;
    for (std::size_t i = 0; i < items.size(); ++i) combination.insert(items[i].second[choice[i]]);
    best.recall = std::max(best.recall, metrics::recall_at_k(retrieved, combination, k));
    best.ndcg = std::max(best.ndcg, metrics::ndcg_at_k(retrieved, combination, k));
    std::size_t pos = items.size();
    while (pos > 0 && ++choice[pos - 1] == items[pos - 1].second.size()) choice[--pos] = 0;
    if (pos == 0) break;
  }
  return best;
}

}  // namespace perseval::personabench
