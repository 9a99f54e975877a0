#include "tasks/personabench/results_file.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include "harness/core/errors.h"
#include "metrics/word_set.h"
#include "tasks/personabench/answer_scoring.h"
#include "tasks/personabench/documents.h"
#include "tasks/personabench/layout.h"
#include "tasks/personabench/questions.h"

namespace perseval::personabench {
namespace {

// What the data directory contributes: every listed question (eval.py's outdated lookup)
// and, when an entry lacks its own, the ground truth at the chosen noise.
struct DataIndex {
  std::map<std::string, Question> questions;
  std::map<std::string, GtItems> gt;
};

DataIndex read_data(const std::string& root, const std::string& noise) {
  DataIndex data;
  for (const auto& community : community_files(root, noise)) {
    for (auto& person : read_eval_info(community.eval_info))
      for (auto& q : person.questions)
        if (!data.questions.emplace(q.q_id, q).second)
          throw InputError(input_error_message(community.eval_info, person.record, person.name,
                                               "repeated q_id " + q.q_id + " (eval.py raises ValueError)"));
    std::error_code ec;
    if (std::filesystem::is_regular_file(community.gt_context, ec))
      for (auto& [id, items] : read_gt_context(community.gt_context)) data.gt[id] = std::move(items);
  }
  return data;
}

struct Sums {
  long long n = 0;
  double precision = 0, recall = 0, f1 = 0, retrieval_recall = 0, retrieval_ndcg = 0;
};

// One variant's running totals, in results order as eval.py adds them.
struct Accumulator {
  std::map<std::string, Sums> categories;
  Sums overall;
  long long outdated_n = 0, subjective_n = 0;
  double outdated_sum = 0, subjective_sum = 0;
  CarriedSet answer, outdated;
  std::string error;

  void add(const std::string& category, const metrics::SetScores& s,
           const std::optional<RetrievalScores>& r) {
    for (Sums* sums : {&categories[category], &overall}) {
      ++sums->n;
      sums->precision += s.precision;
      sums->recall += s.recall;
      sums->f1 += s.f1;
      if (r) {
        sums->retrieval_recall += r->recall;
        sums->retrieval_ndcg += r->ndcg;
      }
    }
  }

  VariantResult finish(bool retrieval) const {
    VariantResult v;
    v.error = error;
    if (!error.empty()) return v;
    const auto mean_of = [&](const std::string& name, const Sums& s) {
      const double n = static_cast<double>(s.n);
      return CategoryResult{name, s.n, s.precision / n, s.recall / n, s.f1 / n, retrieval,
                            s.retrieval_recall / n, s.retrieval_ndcg / n};
    };
    std::set<std::string> done;
    for (const auto& name : official_categories())
      if (categories.count(name)) v.categories.push_back(mean_of(name, categories.at(name))), done.insert(name);
    for (const auto& [name, sums] : categories)
      if (!done.count(name)) v.categories.push_back(mean_of(name, sums));
    if (overall.n > 0) v.categories.push_back(mean_of("Overall", overall));
    v.outdated_n = outdated_n;
    v.outdated_recall = outdated_n ? outdated_sum / static_cast<double>(outdated_n) : 0.0;
    v.subjective_n = subjective_n;
    v.subjective_accuracy = subjective_n ? subjective_sum / static_cast<double>(subjective_n) : 0.0;
    return v;
  }
};

std::vector<std::string> id_list(const ordered_json& value) {
  if (!value.is_array()) throw std::invalid_argument("must be a list of segment ids");
  std::vector<std::string> ids;
  for (const auto& id : value) {
    if (!id.is_string()) throw std::invalid_argument("must hold segment ids as strings");
    ids.push_back(id.get<std::string>());
  }
  return ids;
}

// The entry's own field when present, else the data's.
std::string text_field(const ordered_json& entry, const char* key, const std::string& fallback) {
  const auto it = entry.find(key);
  if (it == entry.end()) return fallback;
  if (!it->is_string()) throw std::invalid_argument(std::string("field '") + key + "' is not a string");
  return it->get<std::string>();
}

ModelResult score_model(const ordered_json& model, long long record, const DataIndex& data,
                        const std::string& preds_path) {
  ModelResult result;
  if (!model.is_object() || !model.contains("Model") || !model["Model"].is_string() ||
      !model.contains("Results") || !model["Results"].is_array())
    throw InputError(input_error_message(preds_path, record, "", "expected {\"Model\": str, \"Results\": [...]}"));
  result.model = model["Model"].get<std::string>();
  const auto plus = result.model.rfind('+');
  result.retriever = plus == std::string::npos ? "" : result.model.substr(plus + 1);
  const bool retrieval = result.retriever != "gt-context";
  const auto& results = model["Results"];
  result.n_results = static_cast<long long>(results.size());
  Accumulator official, corrected;
  std::set<std::size_t> lengths;
  for (std::size_t j = 0; j < results.size(); ++j) {
    const auto& e = results[j];
    std::string q_id;
    const auto fail = [&](const std::string& problem) {
      throw InputError(input_error_message(preds_path, record, q_id, "Results[" + std::to_string(j) + "]: " + problem));
    };
    try {
      if (!e.is_object() || !e.contains("q_id") || !e["q_id"].is_string()) fail("field 'q_id' missing or not a string");
      q_id = e["q_id"].get<std::string>();
      const auto known = data.questions.find(q_id);
      const Question* q = known == data.questions.end() ? nullptr : &known->second;
      const auto need = [&](const char* what) {
        if (!q) fail("field '" + std::string(what) + "' missing and q_id " + q_id + " is not in the data");
      };
      if (!e.contains("type")) need("type");
      if (!e.contains("difficulty")) need("difficulty");
      const std::string type = text_field(e, "type", q ? q->type : "");
      const std::string category = category_of(type, text_field(e, "difficulty", q ? q->difficulty : ""));
      if (!e.contains("prediction")) fail("field 'prediction' missing");
      const auto predicted = prediction_words(e["prediction"]);
      if (!e.contains("answer")) need("answer");
      const ordered_json& answer = e.contains("answer") ? e["answer"] : q->answer;
      if (category.empty()) {  // Subjective: skipped by eval.py; the corrected extra only
        if (e["prediction"].is_string())
          if (const auto correct = subjective_correct(e["prediction"].get<std::string>(), answer)) {
            ++corrected.subjective_n;
            corrected.subjective_sum += *correct ? 1.0 : 0.0;
          }
        continue;
      }
      if (!q) fail("q_id " + q_id + " is not in the data's eval_info_all.json (eval.py raises KeyError)");
      std::optional<RetrievalScores> best;
      if (retrieval) {
        if (!e.contains("retrieved_segment_ids")) fail("field 'retrieved_segment_ids' missing");
        const auto retrieved = id_list(e["retrieved_segment_ids"]);
        lengths.insert(retrieved.size());
        GtItems gt;
        if (e.contains("ground_truth_segment_ids")) {
          gt = parse_gt_items(e["ground_truth_segment_ids"]);
        } else {
          const auto it = data.gt.find(q_id);
          if (it == data.gt.end()) fail("no ground_truth_segment_ids and no ground-truth record in the data");
          gt = it->second;
        }
        best = best_retrieval_scores(retrieved, gt);
      }
      const GoldWords fixed = gold_words(answer, AnswerMode::corrected);
      corrected.add(category, metrics::set_precision_recall_f1(fixed.words, predicted), best);
      if (official.error.empty()) {
        const auto gold = official.answer.resolve(gold_words(answer, AnswerMode::official));
        if (!gold)
          official.error = "Results[" + std::to_string(j) + "] (q_id=" + q_id +
                           "): integer answer before any other scored question; eval.py raises NameError";
        else
          official.add(category, metrics::set_precision_recall_f1(*gold, predicted), best);
      }
      if (!q->outdated_value.is_null()) {
        ++corrected.outdated_n;
        corrected.outdated_sum += metrics::set_precision_recall_f1(
            gold_words(q->outdated_value, AnswerMode::corrected).words, predicted).recall;
        if (official.error.empty()) {
          const auto old = official.outdated.resolve(gold_words(q->outdated_value, AnswerMode::official));
          if (!old) {
            official.error = "Results[" + std::to_string(j) + "] (q_id=" + q_id +
                             "): integer outdated_value before any other; eval.py raises NameError";
          } else {
            ++official.outdated_n;
            official.outdated_sum += metrics::set_precision_recall_f1(*old, predicted).recall;
          }
        }
      }
    } catch (const std::invalid_argument& ex) {
      fail(ex.what());
    }
  }
  result.k_label = lengths.size() == 1 ? std::to_string(*lengths.begin()) : "k";
  result.official = official.finish(retrieval);
  result.corrected = corrected.finish(retrieval);
  return result;
}

ordered_json variant_json(const VariantResult& v, const std::string& k, bool corrected) {
  ordered_json out = ordered_json::object();
  if (!v.error.empty()) return ordered_json{{"error", v.error}};
  for (const auto& c : v.categories) {
    ordered_json row{{"n", c.n}, {"precision", c.precision}, {"recall", c.recall}, {"f1", c.f1}};
    if (c.has_retrieval) {
      row["recall@" + k] = c.retrieval_recall;
      row["ndcg@" + k] = c.retrieval_ndcg;
    }
    out[c.name] = row;
  }
  if (v.outdated_n) out["outdated_information"] = {{"n", v.outdated_n}, {"recall", v.outdated_recall}};
  if (corrected && v.subjective_n) out["Subjective"] = {{"n", v.subjective_n}, {"accuracy", v.subjective_accuracy}};
  return out;
}

}  // namespace

std::vector<ModelResult> score_results_file(const std::string& data_root, const std::string& noise,
                                            const std::string& preds_path) {
  const DataIndex data = read_data(data_root, noise);
  const ordered_json root = read_json_file(preds_path);
  if (!root.is_array())
    throw InputError(input_error_message(preds_path, -1, "", "expected a list of {\"Model\", \"Results\"} objects"));
  std::vector<ModelResult> out;
  for (std::size_t i = 0; i < root.size(); ++i)
    out.push_back(score_model(root[i], static_cast<long long>(i), data, preds_path));
  return out;
}

ordered_json results_to_json(const std::vector<ModelResult>& models, const std::string& noise) {
  ordered_json list = ordered_json::array();
  for (const auto& m : models)
    list.push_back({{"model", m.model},
                    {"retriever", m.retriever},
                    {"n", m.n_results},
                    {"official", variant_json(m.official, m.k_label, false)},
                    {"corrected", variant_json(m.corrected, m.k_label, true)}});
  return ordered_json{{"noise", noise}, {"models", list}};
}

std::string results_to_text(const std::vector<ModelResult>& models, const std::string& noise) {
  std::string out;
  char line[256];
  for (const auto& m : models) {
    out += "model " + m.model + "  (noise " + noise + ", " + std::to_string(m.n_results) + " results)\n";
    for (const auto* variant : {&m.official, &m.corrected}) {
      out += variant == &m.official ? "  official\n" : "  corrected\n";
      if (!variant->error.empty()) {
        out += "    error: " + variant->error + "\n";
        continue;
      }
      std::snprintf(line, sizeof line, "    %-24s %5s %10s %10s %10s %10s %10s\n", "category", "n",
                    "precision", "recall", "f1", ("recall@" + m.k_label).c_str(), ("ndcg@" + m.k_label).c_str());
      out += line;
      for (const auto& c : variant->categories) {
        std::snprintf(line, sizeof line, "    %-24s %5lld %10.6f %10.6f %10.6f", c.name.c_str(), c.n,
                      c.precision, c.recall, c.f1);
        out += line;
        if (c.has_retrieval) {
          std::snprintf(line, sizeof line, " %10.6f %10.6f", c.retrieval_recall, c.retrieval_ndcg);
          out += line;
        }
        out += "\n";
      }
      if (variant->outdated_n) {
        std::snprintf(line, sizeof line, "    %-24s %5lld %10s %10.6f\n", "outdated_information",
                      variant->outdated_n, "", variant->outdated_recall);
        out += line;
      }
      if (variant == &m.corrected && variant->subjective_n) {
        std::snprintf(line, sizeof line, "    %-24s %5lld accuracy %.6f\n", "Subjective",
                      variant->subjective_n, variant->subjective_accuracy);
        out += line;
      }
    }
  }
  return out;
}

std::string run_score_command(const std::string& data_dir, const std::string& noise,
                              const std::string& preds_path, bool as_json, std::string& notes) {
  const auto& levels = known_noise_levels();
  if (std::find(levels.begin(), levels.end(), noise) == levels.end())
    throw InputError("score personabench: --noise must be one of 0.0, 0.3, 0.5, 0.7 (got '" + noise + "')");
  const std::string root = find_data_root(data_dir);
  if (root.empty())
    throw InputError(input_error_message(data_dir, -1, "",
                                         "no PersonaBench data (expected eval_data/eval_data_v1/synthetic_data/ "
                                         "or synthetic_data/ below it)"));
  const auto models = score_results_file(root, noise, preds_path);
  for (const auto& m : models)
    if (!m.official.error.empty()) notes += "warning: " + m.model + ": official scores undefined: " + m.official.error + "\n";
  return as_json ? results_to_json(models, noise).dump(2) + "\n" : results_to_text(models, noise);
}

}  // namespace perseval::personabench
