#include "tasks/lamp/lamp_retrieval.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "harness/core/errors.h"
#include "metrics/python_text.h"
#include "metrics/stats.h"
#include "tasks/lamp/lamp_query.h"

namespace perseval::lamp {

const char* retriever_name(Retriever retriever) {
  switch (retriever) {
    case Retriever::none: return "none";
    case Retriever::bm25: return "bm25";
    case Retriever::recency: return "recency";
    case Retriever::random: return "random";
    case Retriever::random_unique: return "random_unique";
  }
  return "none";
}

std::optional<Retriever> parse_retriever(std::string_view name) {
  for (Retriever r : {Retriever::none, Retriever::bm25, Retriever::recency, Retriever::random,
                      Retriever::random_unique})
    if (name == retriever_name(r)) return r;
  return std::nullopt;
}

namespace {

// Python int() on one ASCII part: whitespace, sign, digits with single underscores between.
std::optional<long long> python_int(std::string_view raw) {
  const std::string s = metrics::python_strip(raw);
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (i >= s.size()) return std::nullopt;
  long long value = 0;
  bool prev_digit = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '_') {
      if (!prev_digit || i + 1 >= s.size()) return std::nullopt;
      prev_digit = false;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (value > (std::numeric_limits<long long>::max() - (c - '0')) / 10) return std::nullopt;
    value = value * 10 + (c - '0');
    prev_digit = true;
  }
  if (!prev_digit) return std::nullopt;
  return negative ? -value : value;
}

}  // namespace

std::optional<std::vector<long long>> parse_date(const nlohmann::json& date) {
  if (!date.is_string() && !date.is_number_integer()) return std::nullopt;
  const std::string text = python_str(date);
  std::vector<long long> parts;
  size_t start = 0;
  while (true) {
    const size_t dash = text.find('-', start);
    auto part = python_int(std::string_view(text).substr(
        start, dash == std::string::npos ? std::string::npos : dash - start));
    if (!part) return std::nullopt;
    parts.push_back(*part);
    if (dash == std::string::npos) break;
    start = dash + 1;
  }
  return parts;
}

retrieval::Bm25Okapi build_profile_index(const Variant& variant, const nlohmann::json& profile) {
  std::vector<std::vector<std::string>> corpus;
  if (profile.is_array()) {
    corpus.reserve(profile.size());
    for (const auto& item : profile)
      corpus.push_back(retrieval::whitespace_split(corpus_string(variant, item)));
  }
  return retrieval::Bm25Okapi(corpus);
}

namespace {

std::vector<size_t> by_recency(const nlohmann::json& profile, size_t k) {
  std::vector<std::vector<long long>> keys;
  keys.reserve(profile.size());
  for (size_t i = 0; i < profile.size(); ++i) {
    const auto& item = profile[i];
    const auto it = item.is_object() ? item.find("date") : item.end();
    std::optional<std::vector<long long>> key;
    if (item.is_object() && it != item.end()) key = parse_date(*it);
    if (!key)
      throw InputError("profile item " + std::to_string(i) +
                       ": recency retrieval needs a `date` that is an integer or a "
                       "dash-separated integer string");
    keys.push_back(std::move(*key));
  }
  // Python's sorted() is stable: equal dates keep profile order, so after reversing the
  // newest-first slice the later item of a tie comes first, as upstream.
  std::vector<size_t> order(profile.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  std::vector<size_t> out;
  for (size_t i = 0; i < k && i < order.size(); ++i) out.push_back(order[order.size() - 1 - i]);
  return out;
}

}  // namespace

std::vector<size_t> retrieve(const Variant& variant, Retriever retriever,
                             const nlohmann::json& profile, std::string_view input, size_t k,
                             uint64_t seed, const retrieval::Bm25Okapi* index) {
  if (retriever == Retriever::none || k == 0 || !profile.is_array() || profile.empty())
    return {};
  const size_t n = profile.size();
  switch (retriever) {
    case Retriever::none:
      return {};
    case Retriever::bm25: {
      const auto query = retrieval::whitespace_split(extract_query(variant, input));
      if (index) return index->top_k(query, k);
      return build_profile_index(variant, profile).top_k(query, k);
    }
    case Retriever::recency:
      return by_recency(profile, k);
    case Retriever::random: {
      // random.choices(profile, k=k): k independent draws, repeats allowed (lamp.md §10.7).
      metrics::Rng rng(seed);
      std::vector<size_t> out(k);
      for (auto& i : out) i = static_cast<size_t>(rng.below(n));
      return out;
    }
    case Retriever::random_unique: {
      // Partial Fisher-Yates: min(k, n) distinct items in draw order.
      metrics::Rng rng(seed);
      std::vector<size_t> pool(n);
      std::iota(pool.begin(), pool.end(), size_t{0});
      const size_t take = std::min(k, n);
      for (size_t i = 0; i < take; ++i) {
        const size_t j = i + static_cast<size_t>(rng.below(n - i));
        std::swap(pool[i], pool[j]);
      }
      pool.resize(take);
      return pool;
    }
  }
  return {};
}

}  // namespace perseval::lamp
