#include "tasks/lamp/lamp_prompt.h"

#include <algorithm>
#include <optional>

#include "tasks/retrieval/whitespace.h"

namespace perseval::lamp {

const char* prompt_mode_name(PromptMode mode) {
  return mode == PromptMode::ppep ? "ppep" : "none";
}

const char* truncate_mode_name(TruncateMode mode) {
  return mode == TruncateMode::words ? "words" : "none";
}

bool parse_prompt_mode(std::string_view name, PromptMode& out) {
  if (name == "ppep") out = PromptMode::ppep;
  else if (name == "none") out = PromptMode::none;
  else return false;
  return true;
}

bool parse_truncate_mode(std::string_view name, TruncateMode& out) {
  if (name == "none") out = TruncateMode::none;
  else if (name == "words") out = TruncateMode::words;
  else return false;
  return true;
}

std::string render_item(const Variant& variant, const nlohmann::json& item,
                        std::string_view free_text) {
  return fill_template(variant.item_template, variant, item, free_text);
}

std::string combine_items(const Variant& variant, std::string_view input,
                          const std::vector<std::string>& items) {
  if (items.empty()) return std::string(input);
  std::string joined;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) joined += ", and ";
    joined += items[i];
  }
  if (variant.shape == PromptShape::insert_after_title) {
    const size_t at = input.find("title");
    if (at == std::string_view::npos) return std::string(input);
    std::string out(input.substr(0, at + 5));
    out += ", and ";
    out += joined;
    out += input.substr(at + 5);
    return out;
  }
  return joined + variant.joiner + std::string(input);
}

namespace {

long long floor_div(long long a, long long b) {
  long long q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// One attempt of upstream's allocation; nullopt where upstream's tokenizer would raise.
std::optional<std::vector<std::string>> allocate_words(const Variant& variant,
                                                       const nlohmann::json& profile,
                                                       std::span<const size_t> selected,
                                                       long long room) {
  const auto k = static_cast<long long>(selected.size());
  long long numerator = room - 2 * (k - 1);
  if (variant.budget_minus_one) numerator -= 1;
  numerator -= static_cast<long long>(retrieval::whitespace_word_count(variant.budget_phrase));
  const long long share = floor_div(numerator, k);
  long long carried = 0;
  std::vector<std::string> items;
  for (size_t index : selected) {
    const auto& item = profile[index];
    const long long overhead =
        variant.overhead_template.empty()
            ? variant.fixed_overhead
            : static_cast<long long>(retrieval::whitespace_word_count(
                  fill_template(variant.overhead_template, variant, item, "")));
    const long long allowance = share + carried - overhead;
    if (allowance < 0) return std::nullopt;
    const std::string free_text = item_field(item, variant.free_field);
    const std::string_view kept =
        retrieval::whitespace_prefix(free_text, static_cast<size_t>(allowance));
    const auto kept_words = static_cast<long long>(retrieval::whitespace_word_count(kept));
    carried += share - kept_words - overhead;
    items.push_back(render_item(variant, item, kept));
  }
  return items;
}

}  // namespace

std::string build_prompt(const Variant& variant, std::string_view input,
                         const nlohmann::json& profile, std::span<const size_t> selected,
                         const PromptOptions& options) {
  if (options.mode == PromptMode::none || selected.empty()) return std::string(input);

  if (options.truncate == TruncateMode::none) {
    std::vector<std::string> items;
    items.reserve(selected.size());
    for (size_t index : selected) {
      const auto& item = profile[index];
      items.push_back(render_item(variant, item, item_field(item, variant.free_field)));
    }
    return combine_items(variant, input, items);
  }

  const long long budget = options.budget;
  const auto input_words = static_cast<long long>(retrieval::whitespace_word_count(input));
  // Same double arithmetic as upstream (0.6, 0.5, 0.39999999999999997, ...), so the
  // int() truncations and the number of retries agree.
  double factor = 0.6;
  while (true) {
    const long long room =
        budget - std::min(input_words, static_cast<long long>(factor * static_cast<double>(budget)));
    if (auto items = allocate_words(variant, profile, selected, room))
      return combine_items(variant, input, *items);
    factor -= 0.1;
    if (factor < 0) return std::string(input);
  }
}

}  // namespace perseval::lamp
