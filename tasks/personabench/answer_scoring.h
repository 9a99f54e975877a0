// The pieces of PersonaBench's official scorer (scripts/evaluation/eval.py,
// personabench.md §4) shared by the task and by `perseval score personabench`.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tasks/personabench/python_format.h"

namespace perseval::personabench {

// The category eval.py files a question under: the words of `type` then of `difficulty`
// (only Preference keeps its difficulty; every other type counts as "easy"), joined by "_":
// "Basic_information_easy", "Preference_hard", "Social_easy". "" for "Subjective", which
// the official scorer skips.
std::string category_of(const std::string& type, const std::string& difficulty);

// The fixed reporting order of the official categories (others follow, sorted).
const std::vector<std::string>& official_categories();

// Which reading of an integer answer to use (personabench.md §5 bug 1).
enum class AnswerMode {
  official,   // as eval.py: an int (or bool) answer assigns nothing; the previous set is reused
  corrected,  // an int answer is scored as its text: 39 → {"39"}
};

// The gold words of an `answer` or `outdated_value`. `carry` is true when the official
// scorer would reuse the previous question's set (int/bool in official mode); `words` is
// then empty. Strings: metrics::ascii_word_set; lists: the union over items of
// ascii_word_set(str(item)) (an object item contributes its keys and values, as its repr).
// Throws std::invalid_argument naming the JSON type for a float, object or null (eval.py
// raises ValueError).
struct GoldWords {
  bool carry = false;
  std::set<std::string> words;
};
GoldWords gold_words(const ordered_json& value, AnswerMode mode);

// The prediction's words: a string as ascii_word_set, a list (or object: its keys, as a
// Python iteration) as the union over str(item). Throws std::invalid_argument for numbers,
// booleans and null (eval.py raises TypeError).
std::set<std::string> prediction_words(const ordered_json& prediction);

// perseval's labelled extra for Subjective questions (never scored upstream): a letter
// answer ("B") is correct when the stripped prediction equals it; a list of letters
// (["B", "C"]) when the set of words (`\w+`) of the prediction equals the set of letters.
// nullopt for other answer types.
std::optional<bool> subjective_correct(std::string_view prediction, const ordered_json& answer);

// Choice letters offered by a Subjective question ("… A: Uninterested or B: Curious …"):
// every capital ASCII letter that starts a word and is followed by ':', in order, without
// repeats; {"A", "B"} when there is none.
std::vector<std::string> subjective_choices(std::string_view question);

// eval.py's reused local variable: remembers the last defined set of a scoring pass.
class CarriedSet {
 public:
  // The set to score with: `gold.words` (remembered) unless `gold.carry`, then the
  // remembered set; nullopt when nothing was remembered yet (eval.py raises NameError).
  std::optional<std::set<std::string>> resolve(const GoldWords& gold);

 private:
  std::optional<std::set<std::string>> last_;
};

// A question's ground-truth segments: one entry per answer item (its key in the
// qa_gt_context file) with the alternative segment ids that support it, in file order.
using GtItems = std::vector<std::pair<std::string, std::vector<std::string>>>;

// Reads a qa_gt_context "segment_id" object. Throws std::invalid_argument naming the item
// when it is not an object of non-empty arrays of strings.
GtItems parse_gt_items(const ordered_json& segment_ids);

// Retrieval scores of one question, each maximised independently over every combination of
// one alternative per item (the cartesian product, as eval.py does):
// recall = metrics::recall_at_k, ndcg = metrics::ndcg_at_k with k = retrieved.size().
// An empty item list or an item without alternatives gives 0. Throws std::invalid_argument
// when the product exceeds 10^6 combinations.
struct RetrievalScores {
  double recall = 0.0;
  double ndcg = 0.0;
};
RetrievalScores best_retrieval_scores(const std::vector<std::string>& retrieved, const GtItems& items);

}  // namespace perseval::personabench
