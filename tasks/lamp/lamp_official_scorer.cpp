#include "tasks/lamp/lamp_official_scorer.h"

#include <algorithm>
#include <unordered_map>

#include "harness/core/errors.h"
#include "tasks/lamp/lamp_answer.h"
#include "tasks/lamp/lamp_outputs_file.h"
#include "tasks/lamp/lamp_scoring.h"
#include "tasks/lamp/lamp_variant.h"

namespace perseval::lamp {

namespace {

constexpr size_t kMaxListedIds = 10;

// "3 missing (a, b, c)" with at most kMaxListedIds ids shown.
std::string describe_ids(std::vector<std::string> ids, const std::string& what) {
  std::sort(ids.begin(), ids.end());
  std::string out = std::to_string(ids.size()) + " " + what + " (";
  for (size_t i = 0; i < ids.size() && i < kMaxListedIds; ++i) out += (i ? ", " : "") + ids[i];
  if (ids.size() > kMaxListedIds) out += ", ...";
  return out + ")";
}

}  // namespace

std::vector<std::pair<std::string, double>> score_official_files(const std::string& variant_name,
                                                                 const std::string& golds_path,
                                                                 const std::string& preds_path) {
  const Variant* variant = find_variant(variant_name);
  if (!variant) {
    std::string known;
    for (const auto& v : all_variants()) known += (known.empty() ? "" : ", ") + v.name;
    throw InputError("unknown LaMP task '" + variant_name + "'; known: " + known);
  }
  const auto gold_records = read_outputs_file(golds_path, {variant->task_string, false});
  if (variant->kind == OutputKind::rating) {
    // Upstream's float(gold) would raise; say which record instead.
    for (size_t i = 0; i < gold_records.size(); ++i)
      if (!official_rating(gold_records[i].output))
        throw InputError(input_error_message(golds_path, static_cast<long long>(i),
                                             gold_records[i].id,
                                             "gold output \"" + gold_records[i].output +
                                                 "\" is not a number"));
  }
  // Upstream applies str(x) to classification/rating predictions, so numbers are read too.
  const auto pred_records =
      read_outputs_file(preds_path, {variant->task_string, variant->kind != OutputKind::text});

  // Dicts as upstream: a repeated id keeps its last output.
  std::unordered_map<std::string, std::string> golds;
  std::vector<std::string> gold_order;  // unique ids, first-occurrence order
  for (const auto& r : gold_records)
    if (golds.insert_or_assign(r.id, r.output).second) gold_order.push_back(r.id);
  std::unordered_map<std::string, std::string> preds;
  std::vector<std::string> pred_order;
  for (const auto& r : pred_records)
    if (preds.insert_or_assign(r.id, r.output).second) pred_order.push_back(r.id);

  std::vector<std::string> missing;
  std::vector<std::string> extra;
  for (const auto& id : gold_order)
    if (!preds.count(id)) missing.push_back(id);
  for (const auto& id : pred_order)
    if (!golds.count(id)) extra.push_back(id);
  if (!missing.empty() || !extra.empty()) {
    std::string problem = "prediction ids do not match the gold ids of " + golds_path + ": ";
    if (!missing.empty()) problem += describe_ids(missing, "missing");
    if (!missing.empty() && !extra.empty()) problem += ", ";
    if (!extra.empty()) problem += describe_ids(extra, "extra");
    throw InputError(input_error_message(preds_path, -1, "", problem));
  }

  std::vector<std::string> gold_texts;
  std::vector<std::string> pred_texts;
  gold_texts.reserve(gold_order.size());
  pred_texts.reserve(gold_order.size());
  for (const auto& id : gold_order) {
    gold_texts.push_back(golds.at(id));
    pred_texts.push_back(preds.at(id));
  }
  return official_metrics(*variant, gold_texts, pred_texts);
}

}  // namespace perseval::lamp
