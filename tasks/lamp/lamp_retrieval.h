// Profile retrieval for LaMP prompts (lamp.md §7.2): which k profile items a prompt shows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tasks/lamp/lamp_variant.h"
#include "tasks/retrieval/bm25.h"

namespace perseval::lamp {

enum class Retriever {
  none,           // no profile items (the non-personalised prompt)
  bm25,           // rank_bm25 BM25Okapi over the variant's corpus strings
  recency,        // newest k by `date`, newest first
  random,         // k draws WITH replacement, as upstream's random.choices
  random_unique,  // k distinct items (perseval's labelled alternative)
};

// The parameter spelling ("bm25", "random_unique", ...).
const char* retriever_name(Retriever retriever);

// Parses a parameter spelling; nullopt when unknown.
std::optional<Retriever> parse_retriever(std::string_view name);

// Upstream's recency key `tuple(map(int, str(date).split("-")))`: a JSON integer or a
// dash-separated string of integers ("2019-05-03", "2019"). Each part follows Python int():
// surrounding whitespace, an optional sign and underscores between digits are accepted.
// nullopt when Python would raise (empty part, letters, a float like 2019.0).
std::optional<std::vector<long long>> parse_date(const nlohmann::json& date);

// A BM25 index over the profile's corpus strings, tokenised with str.split().
retrieval::Bm25Okapi build_profile_index(const Variant& variant, const nlohmann::json& profile);

// Indices into `profile` of the items to show, in prompt order (best/newest first).
// k = 0 or Retriever::none gives none; an empty profile gives none. `seed` drives the
// random retrievers (the caller passes the per-sample seed, so the choice is reproducible
// and independent of thread timing). `index`, when given, must be
// build_profile_index(variant, profile) and saves rebuilding it.
// Throws InputError when recency meets a date parse_date rejects.
std::vector<size_t> retrieve(const Variant& variant, Retriever retriever,
                             const nlohmann::json& profile, std::string_view input, size_t k,
                             uint64_t seed, const retrieval::Bm25Okapi* index = nullptr);

}  // namespace perseval::lamp
